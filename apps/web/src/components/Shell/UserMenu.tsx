'use client';

import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconShieldLock, IconUser } from '@tabler/icons-react';
import Link from 'next/link';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { useSignedInSession, useSession } from '@/lib/auth/SessionProvider';

export function UserMenu() {
  const session = useSignedInSession();
  const { signOut } = useSession();
  const name = session.user.display_name || session.user.username;
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="User menu" data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar name={name} color="initials" size="sm" radius="xl" />
            <Text size="sm" fw={500} visibleFrom="sm">
              {name}
            </Text>
            <IconChevronDown size={14} stroke={1.6} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs" truncate>
              {session.user.email}
            </Text>
            <RoleBadge role={session.tenant.role} />
          </Group>
        </Menu.Label>
        <Menu.Item component={Link} href="/settings/profile" leftSection={<IconUser size={16} stroke={1.6} />}>
          Profile
        </Menu.Item>
        <Menu.Item component={Link} href="/settings/security" leftSection={<IconShieldLock size={16} stroke={1.6} />}>
          Security
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} stroke={1.6} />} onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
