import type { DatabaseDto, RetryPolicyDto, RotationPolicyDto } from '@dumpstation/api-client';

export type SslMode = DatabaseDto['sslmode'];

export const SSL_MODES: { value: SslMode; label: string; description: string }[] = [
  { value: 'disable', label: 'disable', description: 'Plain text only' },
  { value: 'allow', label: 'allow', description: 'Plain text first, TLS if the server insists' },
  { value: 'prefer', label: 'prefer', description: 'TLS when the server offers it (default)' },
  { value: 'require', label: 'require', description: 'TLS always, certificate not checked' },
  { value: 'verify-ca', label: 'verify-ca', description: 'TLS with a certificate from a trusted CA' },
  { value: 'verify-full', label: 'verify-full', description: 'TLS, trusted CA and matching host name' },
];

export function sslModeLabel(mode: SslMode): string {
  const known = SSL_MODES.find((m) => m.value === mode);
  return known ? `${known.label} (${known.description.toLowerCase()})` : mode;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeRotation(policy: RotationPolicyDto | null): string {
  if (!policy) return 'Keep every backup';
  const base =
    policy.type === 'count'
      ? `Keep the newest ${plural(policy.value, 'backup')}`
      : policy.type === 'days'
        ? `Keep ${plural(policy.value, 'day')} of backups`
        : `Keep the last ${policy.value}`;
  const periods = (
    [
      ['hourly', 'hour'],
      ['daily', 'day'],
      ['weekly', 'week'],
      ['monthly', 'month'],
      ['yearly', 'year'],
    ] as const
  )
    .filter(([key]) => (policy[key] ?? 0) > 0)
    .map(([key, word]) => plural(policy[key]!, word));
  const floor = (policy.min_keep ?? 1) > 1 ? `; at least ${plural(policy.min_keep!, 'backup')} always` : '';
  return `${base}${periods.length ? `, plus the newest of each of the last ${periods.join(', ')}` : ''}${floor}`;
}

export function describeRetry(retry: RetryPolicyDto | null | undefined): string {
  if (!retry || retry.attempts === 0) return 'Not retried';
  return `Retried ${retry.attempts === 1 ? 'once' : `up to ${retry.attempts} times`}, ${plural(retry.delay_seconds, 'second')} after each failure`;
}

export function describeSchedule(db: Pick<DatabaseDto, 'schedule' | 'timezone'>): string {
  return db.schedule ? `${db.schedule} (${db.timezone})` : 'On demand only';
}

/** `user@host:port/dbname`, the way people write a PostgreSQL address. */
export function connectionLabel(db: Pick<DatabaseDto, 'user' | 'host' | 'port' | 'dbname'>): string {
  return `${db.user}@${db.host}:${db.port}/${db.dbname}`;
}

/** IANA zones for the schedule's time zone picker (UTC first). */
export function timeZones(current?: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // An engine without the list: UTC and the current value still work.
  }
  return Array.from(new Set(['UTC', ...(current ? [current] : []), ...zones]));
}
