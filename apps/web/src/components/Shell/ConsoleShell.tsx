'use client';

import { Anchor, AppShell, Burger, Group, ScrollArea, Stack, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconApi, IconDatabaseExport } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { InvitationsMenu } from './InvitationsMenu';
import { NavigationLinks } from './NavigationLinks';
import { MAIN_CONTENT_ID, SkipLink, mainClassName } from './SkipLink';
import { TenantSwitcher } from './TenantSwitcher';
import { UserMenu } from './UserMenu';

export function ConsoleShell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <ThemeIcon size="lg" radius="md" variant="filled" aria-hidden>
              <IconDatabaseExport size={20} stroke={1.8} />
            </ThemeIcon>
            <Text fw={700} size="lg">
              DumpStation
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <InvitationsMenu />
            <TenantSwitcher />
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section hiddenFrom="xs" mb="sm">
          <TenantSwitcher placement="navigation" onSwitched={close} />
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea}>
          <NavigationLinks onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section>
          <Stack gap={6} px="sm">
            <Anchor href="/api/docs" target="_blank" rel="noreferrer" size="sm">
              <Group gap={6} wrap="nowrap">
                <IconApi size={16} stroke={1.6} aria-hidden />
                API docs
              </Group>
            </Anchor>
            <Text size="xs" c="dimmed">
              PostgreSQL backups you can restore
            </Text>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} className={mainClassName}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
