'use client';

import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { NextStep } from '@/components/Common/NextStep';
import { HealthCard } from '@/components/Health/HealthCard';
import { useHealth } from '@/hooks/queries/health';

export function OverviewPage() {
  const health = useHealth();
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Overview</Title>
        <Text c="dimmed">The state of this DumpStation instance.</Text>
      </div>
      <NextStep />
      <HealthCard state={health} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {['Databases', 'Backups in the last 24 h', 'Storage used'].map((label) => (
          <Card key={label}>
            <Text size="xs" tt="uppercase" fw={600} c="dimmed">
              {label}
            </Text>
            <Text size="sm" c="dimmed" mt="xs">
              Available once databases and backups are set up.
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
