'use client';

import { Badge, NavLink } from '@mantine/core';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { NAVIGATION, type NavigationItem } from './navigation';

const linkStyles = { root: { borderRadius: 'var(--mantine-radius-md)' } };

function isWithin(pathname: string, item: NavigationItem): boolean {
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

function Item({ item, pathname, onNavigate }: { item: NavigationItem; pathname: string; onNavigate: () => void }) {
  const session = useSignedInSession();
  if (item.instanceAdmin && !session.user.is_instance_admin) return null;
  const icon = <item.icon size={18} stroke={1.6} />;
  if (item.children) {
    return (
      <NavLink label={item.label} leftSection={icon} defaultOpened styles={linkStyles}>
        {item.children.map((child) => (
          <Item key={child.href} item={child} pathname={pathname} onNavigate={onNavigate} />
        ))}
      </NavLink>
    );
  }
  if (item.soon) {
    return (
      <NavLink
        label={item.label}
        leftSection={icon}
        rightSection={
          <Badge size="xs" variant="light" color="gray">
            soon
          </Badge>
        }
        disabled
        styles={linkStyles}
      />
    );
  }
  return (
    <NavLink
      component={Link}
      href={item.href}
      label={item.label}
      leftSection={icon}
      active={item.href === '/' ? pathname === '/' : isWithin(pathname, item)}
      onClick={onNavigate}
      styles={linkStyles}
    />
  );
}

export function NavigationLinks({ onNavigate }: { onNavigate: () => void }) {
  const pathname = usePathname();
  return NAVIGATION.map((item) => <Item key={item.href} item={item} pathname={pathname} onNavigate={onNavigate} />);
}
