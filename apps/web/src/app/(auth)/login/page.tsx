import { Center, Paper, Text, Title } from '@mantine/core';
import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="md" p="xl" maw={420} w="100%">
        <Title order={2} mb="xs">
          Sign in to DumpStation
        </Title>
        <Text c="dimmed">
          Sign-in with a one-time code sent on Discord, plus TOTP, is not available yet in this version.
        </Text>
      </Paper>
    </Center>
  );
}
