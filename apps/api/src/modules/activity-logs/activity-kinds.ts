/** The documented broad categories of activity (`action`); the precise name is the `event`. */
export const ACTIVITY_ACTIONS = ['Create', 'Update', 'Delete', 'Backup', 'Restore', 'Login', 'Test'] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** What an entry is about, named as documented. */
export const RESOURCE_TYPES = [
  'Database',
  'Backup',
  'Restore',
  'Storage',
  'Notification',
  'User',
  'ApiToken',
  'Membership',
  'Invitation',
  'Tenant',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Levels as documented, and how they are stored. */
export const ACTIVITY_LEVELS = { Info: 'info', Warning: 'warn', Error: 'error' } as const;
export type ActivityLevel = keyof typeof ACTIVITY_LEVELS;
export const levelName = (stored: string): ActivityLevel =>
  (Object.keys(ACTIVITY_LEVELS) as ActivityLevel[]).find((name) => ACTIVITY_LEVELS[name] === stored) ?? 'Info';

/**
 * The category of a precise event name (`<resource>.<verb>`). The migration
 * 20261201200000_activity_log_contract applies the same rules to older entries.
 */
export function actionOf(event: string): ActivityAction {
  const verb = event.slice(event.lastIndexOf('.') + 1);
  if (
    event.startsWith('auth.2fa.') ||
    verb === 'update' ||
    event === 'invitation.accept' ||
    event === 'invitation.decline'
  ) {
    return 'Update';
  }
  if (event.startsWith('auth.')) return 'Login';
  if (verb === 'create') return 'Create';
  if (verb === 'delete' || verb === 'revoke') return 'Delete';
  if (verb === 'test') return 'Test';
  if (event.startsWith('backup.')) return 'Backup';
  if (event.startsWith('restore.')) return 'Restore';
  return 'Update';
}
