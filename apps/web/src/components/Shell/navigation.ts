import {
  IconActivity,
  IconArchive,
  IconBell,
  IconBuilding,
  IconDatabase,
  IconKey,
  IconLayoutDashboard,
  IconServer2,
  IconSettings,
  IconShieldLock,
  IconUser,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';

export interface NavigationItem {
  label: string;
  href: string;
  icon: Icon;
  /** Not built yet: shown, marked "soon", not clickable. */
  soon?: boolean;
  /** Shown only to instance admins. */
  instanceAdmin?: boolean;
  /** Sub-pages, shown nested under this item (which then only groups them). */
  children?: NavigationItem[];
}

export const NAVIGATION: NavigationItem[] = [
  { label: 'Overview', href: '/', icon: IconLayoutDashboard },
  { label: 'Databases', href: '/databases', icon: IconDatabase },
  { label: 'Backups', href: '/backups', icon: IconArchive },
  { label: 'Storage', href: '/storage', icon: IconServer2 },
  { label: 'Notifications', href: '/notifications', icon: IconBell },
  { label: 'Activity', href: '/activity', icon: IconActivity },
  {
    label: 'Settings',
    href: '/settings',
    icon: IconSettings,
    children: [
      { label: 'Profile', href: '/settings/profile', icon: IconUser },
      { label: 'Security', href: '/settings/security', icon: IconShieldLock },
      { label: 'API tokens', href: '/settings/tokens', icon: IconKey },
      { label: 'Members', href: '/settings/members', icon: IconUsers },
      { label: 'Tenants', href: '/settings/tenants', icon: IconBuilding, instanceAdmin: true },
    ],
  },
];
