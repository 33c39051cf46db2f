import {
  IconActivity,
  IconArchive,
  IconBell,
  IconDatabase,
  IconLayoutDashboard,
  IconServer2,
  IconSettings,
  type Icon,
} from '@tabler/icons-react';

export interface NavigationItem {
  label: string;
  href: string;
  icon: Icon;
  /** Not built yet: shown, marked "soon", not clickable. */
  soon?: boolean;
}

export const NAVIGATION: NavigationItem[] = [
  { label: 'Overview', href: '/', icon: IconLayoutDashboard },
  { label: 'Databases', href: '/databases', icon: IconDatabase, soon: true },
  { label: 'Backups', href: '/backups', icon: IconArchive, soon: true },
  { label: 'Storage', href: '/storage', icon: IconServer2, soon: true },
  { label: 'Notifications', href: '/notifications', icon: IconBell, soon: true },
  { label: 'Activity', href: '/activity', icon: IconActivity, soon: true },
  { label: 'Settings', href: '/settings', icon: IconSettings, soon: true },
];
