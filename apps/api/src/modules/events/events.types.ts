/**
 * The live events of a tenant (GET /api/v1/events, server-sent events). Every payload is
 * tenant-free: ids, names, numbers and statuses, never another tenant's anything; the tenant id
 * travels beside it (in the NOTIFY envelope) only to route it, and is stripped before sending.
 */
export interface TenantEventPayloads {
  /** A backup row was recorded (pending; `skipped` for a schedule slot that does not run). */
  'backup.created': {
    backup_id: string;
    database_id: string;
    name: string;
    status: string;
    trigger: string;
    attempt: number;
    retry_of_id: string | null;
  };
  /** A worker began running it (pending → running), before pg_dump has sent a byte (it may wait for locks). */
  'backup.started': { backup_id: string; database_id: string; name: string; attempt: number };
  /** A running backup moved: about once a second while it dumps. */
  'backup.progress': {
    backup_id: string;
    database_id: string;
    bytes_processed: number;
    /** Bytes per second since the previous progress event. */
    rate: number;
  };
  /** A backup ended: `success` or `failed`. */
  'backup.finished': {
    backup_id: string;
    database_id: string;
    name: string;
    status: string;
    size_bytes: number | null;
    duration_ms: number | null;
    error_message: string | null;
  };
  'restore.created': { restore_id: string; backup_id: string; database_id: string; status: string };
  'restore.finished': {
    restore_id: string;
    backup_id: string;
    database_id: string;
    status: string;
    duration_ms: number | null;
    error_message: string | null;
  };
  /** A database's protection (ok, stale, failing, unscheduled) changed. */
  'database.protection': { database_id: string; name: string; protection: string; previous: string | null };
}

export type TenantEventName = keyof TenantEventPayloads;
export const TENANT_EVENT_NAMES: readonly TenantEventName[] = [
  'backup.created',
  'backup.started',
  'backup.progress',
  'backup.finished',
  'restore.created',
  'restore.finished',
  'database.protection',
];

/** The PostgreSQL channel every process publishes to and listens on. */
export const EVENTS_CHANNEL = 'dumpstation_events';

/** What travels in a NOTIFY: the event and the tenant it belongs to (`t`, for routing only). */
export interface EventEnvelope {
  t: string;
  e: TenantEventName;
  d: Record<string, unknown>;
}
