'use client';

import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconShieldLock, IconUser } from '@tabler/icons-react';
import Link from 'next/link';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { useSignedInSession, useSession } from '@/lib/auth/SessionProvider';
import classes from './UserMenu.module.css';

export function UserMenu() {
  const session = useSignedInSession();
  const { signOut } = useSession();
  const name = session.user.display_name || session.user.username;
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        {/* Named by the name it shows (WCAG 2.5.3); Menu says it opens a menu (aria-haspopup). */}
        <UnstyledButton data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar name={name} color="initials" size="sm" radius="xl" aria-hidden />
            <Text size="sm" fw={500} className={classes.name}>
              {name}
            </Text>
            <IconChevronDown size={14} stroke={1.6} aria-hidden />
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
