import type { ActivityLogDto } from '@dumpstation/api-client';

/** Whether the resource of an entry no longer exists. */
export type ResourceGone = (entry: ActivityLogDto) => boolean;

const KINDS: Record<NonNullable<ActivityLogDto['resource_type']>, string> = {
  Database: 'Database',
  Backup: 'Backup',
  Restore: 'Restore of',
  Storage: 'Storage',
  Notification: 'Notification',
  User: 'User',
  ApiToken: 'API token',
  Membership: 'Member',
  Invitation: 'Invitation of',
  Tenant: 'Tenant',
};

function detail(entry: ActivityLogDto, key: string): string | null {
  const value = entry.details?.[key];
  return typeof value === 'string' && value ? value : null;
}

/** How an entry names its resource: a kind in words and the name it had (a short id only when none was logged). */
export function resourceLabel(entry: ActivityLogDto): { kind: string; name: string } {
  const type = entry.resource_type;
  const kind = type ? KINDS[type] : '';
  // A restore is named by the backup it restores, an invitation or a membership by its user.
  const name =
    (type === 'Restore' ? detail(entry, 'backup') : null) ??
    (type === 'Invitation' || type === 'Membership' ? detail(entry, 'username') : null) ??
    entry.resource_name ??
    (type === 'User' ? entry.user_name : null) ??
    (entry.resource_id ? entry.resource_id.slice(0, 8) : '—');
  return { kind, name };
}

/** An event that removed its resource: later entries about it link nowhere either. */
export function removes(entry: ActivityLogDto): boolean {
  return /\.(delete|revoke|remove)$/.test(entry.event);
}

/**
 * Where the resource of an entry is shown in the console, or null (deleted, or no page of its own):
 * a database at its page, a backup in the backups list searched by its name (and its database's),
 * a storage, a notification, API tokens and members on their lists.
 */
export function resourceLink(entry: ActivityLogDto, gone: ResourceGone): string | null {
  if (!entry.resource_type || !entry.resource_id || gone(entry)) return null;
  switch (entry.resource_type) {
    case 'Database':
      return `/databases/${entry.resource_id}`;
    case 'Backup':
      return entry.resource_name ? `/backups?search=${encodeURIComponent(entry.resource_name)}` : '/backups';
    case 'Restore': {
      const backup = detail(entry, 'backup');
      return backup ? `/backups?search=${encodeURIComponent(backup)}` : null;
    }
    case 'Storage':
      return '/storage';
    case 'Notification':
      return '/notifications';
    case 'ApiToken':
      return '/settings/tokens';
    case 'Membership':
    case 'Invitation':
      return '/settings/members';
    default:
      return null;
  }
}
