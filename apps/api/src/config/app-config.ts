import { tmpdir } from 'node:os';
import { compile as compileTrust } from 'proxy-addr';
import { z } from 'zod';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const USERNAME = /^[a-zA-Z0-9._-]{3,32}$/;
export const DISCORD_WEBHOOK =
  /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/\d+\/[\w-]+$/;

/** Whether Express (proxy-addr, which it uses) accepts the list as its `trust proxy` setting. */
function isTrustList(value: string): boolean {
  const entries = trustedProxyList(value);
  if (entries.length === 0) return false;
  try {
    compileTrust(entries);
    return true;
  } catch {
    return false;
  }
}

export function trustedProxyList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A comma-separated setting as a list: entries trimmed, empty ones dropped. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** `*` or origins exactly as browsers send them: scheme://host[:port], no path or trailing slash. */
function isOriginList(value: string): boolean {
  return commaList(value).every((entry) => {
    if (entry === '*') return true;
    try {
      const url = new URL(entry);
      return /^https?:$/.test(url.protocol) && url.origin === entry;
    } catch {
      return false;
    }
  });
}

/** Comma-separated HTTP tokens (method or header names). */
const isTokenList = (value: string) => commaList(value).every((entry) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(entry));

function isKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value.trim()) && Buffer.from(value.trim(), 'base64').length === 32;
}

/** Every environment variable the API reads, with its default. README's table mirrors this. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z
    .string({
      error: 'is required (postgresql://user:password@host:5432/dbname), or set DB_HOST, DB_USER and DB_NAME instead',
    })
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  APP_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  MIGRATIONS_DIR: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * A schedule slot missed while no worker ran (all stopped) runs once at start-up when it is at
   * most this old; older ones are recorded as `skipped` backups. Fractions allowed (0.5: 30 s).
   */
  SCHEDULE_CATCH_UP_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
  /** How often each worker looks for due schedule slots. */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Accept 6-field schedules with a seconds field first: for tests, so schedules fire every few seconds. */
  SCHEDULE_ALLOW_SECONDS: z.stringbool({ error: 'must be true or false' }).default(false),

  APP_ENCRYPTION_KEY: z
    .string({ error: 'is required: 32 random bytes in base64 (openssl rand -base64 32)' })
    .refine(isKey, 'must be 32 random bytes in base64 (openssl rand -base64 32)'),
  /** Older keys, comma-separated, still accepted for decryption after a rotation. */
  APP_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .optional()
    .refine((value) => !value || value.split(',').every(isKey), 'must be comma-separated base64 32-byte keys'),
  /** Signs access tokens; derived from APP_ENCRYPTION_KEY when unset. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_EXPIRATION_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  REFRESH_TOKEN_EXPIRATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  OTP_EXPIRATION_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  /** Lifetime of a backup's download link (POST /backups/{id}/download-link): the browser must start the download within it. */
  DOWNLOAD_LINK_EXPIRATION_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Attempts one sign-in code survives; then it is void and a new one must be requested. */
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** Sign-in attempts in a row without a success, across codes, before the account locks. */
  LOGIN_ACCOUNT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(50),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /**
   * Peers whose X-Forwarded-For is believed (comma-separated IPs, CIDRs or the keywords loopback,
   * linklocal, uniquelocal). Anyone else's is ignored: it would let a client pick its own address
   * for the rate limit and the activity log. The default trusts the console on the same host.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .refine(isTrustList, 'must be comma-separated IP addresses, CIDR ranges or loopback/linklocal/uniquelocal'),

  SYSTEM_USERNAME: z
    .string()
    .regex(USERNAME, 'must be 3-32 letters, digits, dots, dashes or underscores')
    .default('admin'),
  SYSTEM_EMAIL: z.email('must be an email address').default('admin@dumpstation.local'),
  SYSTEM_DISCORD_WEBHOOK_URL: z.string().regex(DISCORD_WEBHOOK, 'must be a Discord webhook URL').optional(),
  SYSTEM_DISCORD_USER_ID: z
    .string()
    .regex(/^\d{5,25}$/, 'must be a Discord user id (digits)')
    .optional(),
  DISCORD_BOT_TOKEN: z.string().min(10).optional(),
  DISCORD_DEFAULT_WEBHOOK_URL: z.string().regex(DISCORD_WEBHOOK, 'must be a Discord webhook URL').optional(),
  /** Discord's REST API root; tests point it at a local stand-in. */
  DISCORD_API_URL: z.url().default('https://discord.com/api'),

  /**
   * Where pg_dump/pg_restore of each major live; {major} is replaced (Debian/PGDG layout by default).
   * Several templates separated by `:` are searched in order for each major.
   */
  PG_BIN_DIR_TEMPLATE: z
    .string()
    .refine(
      (value) =>
        value.split(':').some((t) => t.trim()) && value.split(':').every((t) => !t.trim() || t.includes('{major}')),
      {
        error: 'each `:`-separated template must contain {major}, e.g. /usr/lib/postgresql/{major}/bin',
      },
    )
    .default('/usr/lib/postgresql/{major}/bin'),
  /** Root of `local` storage; each tenant gets its own folder below it (tenants never name a path). */
  STORAGE_LOCAL_ROOT: z.string().min(1).default('./.data/storage'),
  /** Backups this worker process runs at once (and, separately, restores); more wait in line. */
  MAX_CONCURRENT_BACKUPS: z.coerce.number().int().min(1).max(64).default(2),
  /** Backups running at once for one tenant across all workers; its other backups wait (others' go first). */
  MAX_CONCURRENT_BACKUPS_PER_TENANT: z.coerce.number().int().min(1).max(64).default(2),
  /** How often each idle worker of the job queue (pg-boss) looks for jobs; a local send wakes it at once. */
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** How often pg-boss looks at its cron schedules (the daily clean-up); 1–45. */
  JOB_CRON_CHECK_SECONDS: z.coerce.number().int().min(1).max(45).default(30),
  /** A Discord message that cannot be delivered is tried again this many times (the backup is never failed by it). */
  NOTIFICATION_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  /** Seconds before the first retry of a notification; doubled for each next one. */
  NOTIFICATION_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** The daily clean-up removes activity log entries older than this. */
  ACTIVITY_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(60),
  /** When the daily clean-up runs (5-field cron, UTC); once per cluster whatever the number of workers. */
  MAINTENANCE_CRON: z.string().min(9).default('30 3 * * *'),
  /** A backup that moved no bytes for this long (a hung storage or server) is failed; fractions allowed. */
  BACKUP_STALL_MINUTES: z.coerce.number().positive().max(1440).default(15),
  /**
   * How often a process proves its jobs alive; a job with no proof for 6 times this long is failed
   * as interrupted by any other process (at once when its process is provably gone on this machine).
   */
  JOB_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /**
   * How often retention runs over every database (once per cluster: one pg-boss job per interval,
   * worked under an advisory lock), besides after each successful backup; 0 turns the periodic
   * run off. Fractions allowed.
   */
  RETENTION_INTERVAL_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
  /**
   * How often every database's protection is checked for staleness alerts (once per cluster: one
   * pg-boss job per interval); a database that turns `stale` (or recovers) is notified once. 0
   * turns the periodic check off. Fractions allowed.
   */
  STALENESS_CHECK_MINUTES: z.coerce.number().min(0).max(1_440).default(5),
  /** Where a restore keeps its verified copy of the archive (needs room for the largest dump). */
  RESTORE_TEMP_DIR: z.string().min(1).default(tmpdir()),
  /** pg_restore --jobs for restores (the archive is a local file by then). */
  RESTORE_JOBS: z.coerce.number().int().min(1).max(32).default(2),
  /**
   * A `clean` restore into an existing database restores into a fresh copy and swaps names: the
   * previous database stays, renamed `<name>_before_<time>`, this many hours (0: dropped at once).
   */
  RESTORE_KEEP_PREVIOUS_HOURS: z.coerce.number().min(0).max(8760).default(24),
  /** During that swap, how long open sessions on the database may take to end before they are terminated. */
  RESTORE_SWAP_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(10),

  /**
   * Browser origins allowed to call the API from another site (comma-separated, or `*`). None by
   * default: the console calls the API through its own /api proxy, so it needs no CORS at all.
   */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .refine(
      (value) => !value || isOriginList(value),
      'must be comma-separated origins such as https://console.example.com (scheme, host and port only), or *',
    ),
  CORS_ALLOWED_METHODS: z
    .string()
    .default('GET,POST,PUT,DELETE,OPTIONS,PATCH')
    .refine(isTokenList, 'must be comma-separated HTTP methods'),
  CORS_ALLOWED_HEADERS: z
    .string()
    .default('Accept,Authorization,Content-Type,X-2FA-Token,X-Request-Id')
    .refine(isTokenList, 'must be comma-separated header names'),
  /** Response headers a cross-origin script may read (e.g. a download's file name). */
  CORS_EXPOSED_HEADERS: z
    .string()
    .default('Content-Disposition,Retry-After')
    .refine(isTokenList, 'must be comma-separated header names'),
  CORS_ALLOW_CREDENTIALS: z.stringbool({ error: 'must be true or false' }).default(false),
  /** How long (seconds) a browser may cache a preflight answer. */
  CORS_MAX_AGE: z.coerce.number().int().min(0).default(86_400),
  /** Log every CORS decision (origin allowed or refused). */
  CORS_DEBUG: z.stringbool({ error: 'must be true or false' }).default(false),

  /**
   * GET /metrics (Prometheus) is served only when protected by one of these; with neither it
   * answers 404. METRICS_TOKEN: the bearer token a scraper sends (compared in constant time).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 32)').optional(),
  /**
   * A separate listener on this port (and HOST) serving only /metrics, e.g. reachable from a
   * private network only; the API's own port then does not serve /metrics. With METRICS_TOKEN
   * set too, the token is required there as well.
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

/** The documented names accepted besides ours: used only where ours is unset, so ours win. */
export const ENVIRONMENT_ALIASES: Readonly<Record<string, string>> = {
  HOST: 'SERVER_HOST',
  PORT: 'SERVER_PORT',
  DISCORD_DEFAULT_WEBHOOK_URL: 'DISCORD_WEBHOOK_URL',
};

const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
const partRequired = { error: 'is required when DATABASE_URL is unset and DB_* variables are used' };

/** The database URL in parts, as documented; composed into DATABASE_URL when DATABASE_URL is unset. */
const databasePartsSchema = z.object({
  DB_HOST: z.string(partRequired).regex(/^[^\s/@?#]+$/, 'must be a host name or an IP address'),
  DB_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  DB_USER: z.string(partRequired),
  DB_PASSWORD: z.string().optional(),
  // node-postgres decodes the database name with decodeURI, which leaves these escaped.
  DB_NAME: z.string(partRequired).regex(/^[^;/?:@&=+$,#%]+$/, 'must not contain any of ; / ? : @ & = + $ , # %'),
  DB_SSLMODE: z.enum(SSLMODES).optional(),
});
const DATABASE_PARTS = Object.keys(databasePartsSchema.shape);

/** postgresql://user:password@host:port/dbname?sslmode=…, user and password percent-encoded. */
export function composeDatabaseUrl(parts: z.infer<typeof databasePartsSchema>): string {
  const host = parts.DB_HOST.includes(':') && !parts.DB_HOST.startsWith('[') ? `[${parts.DB_HOST}]` : parts.DB_HOST;
  const password = parts.DB_PASSWORD === undefined ? '' : `:${encodeURIComponent(parts.DB_PASSWORD)}`;
  const url = `postgresql://${encodeURIComponent(parts.DB_USER)}${password}@${host}:${parts.DB_PORT}/${encodeURIComponent(parts.DB_NAME)}`;
  return parts.DB_SSLMODE ? `${url}?sslmode=${parts.DB_SSLMODE}` : url;
}

const validatedEnvironment = environmentSchema.superRefine((env, ctx) => {
  const discordConfigured = env.DISCORD_DEFAULT_WEBHOOK_URL || env.DISCORD_BOT_TOKEN || env.SYSTEM_DISCORD_WEBHOOK_URL;
  if (env.NODE_ENV === 'production' && !discordConfigured) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_DEFAULT_WEBHOOK_URL'],
      message:
        'in production one-time codes must go out on Discord: set DISCORD_DEFAULT_WEBHOOK_URL, DISCORD_BOT_TOKEN or SYSTEM_DISCORD_WEBHOOK_URL',
    });
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_PORT'],
      message: 'must differ from PORT: it is a separate listener serving only /metrics',
    });
  }
  if (env.CORS_ALLOW_CREDENTIALS && commaList(env.CORS_ALLOWED_ORIGINS).includes('*')) {
    ctx.addIssue({
      code: 'custom',
      path: ['CORS_ALLOWED_ORIGINS'],
      message:
        '"*" cannot be combined with CORS_ALLOW_CREDENTIALS=true (browsers refuse credentialed answers to any origin): list the allowed origins in CORS_ALLOWED_ORIGINS, or set CORS_ALLOW_CREDENTIALS=false',
    });
  }
});

export type Environment = z.infer<typeof environmentSchema>;

/** The validated configuration, injected wherever settings are needed. */
export class AppConfig {
  readonly version = version;
  constructor(readonly env: Readonly<Environment>) {}

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  /** TRUSTED_PROXIES as Express's `trust proxy` setting. */
  get trustedProxies(): string[] {
    return trustedProxyList(this.env.TRUSTED_PROXIES);
  }

  /** Whether any Discord delivery is configured for the system (else, outside production, codes go to the log). */
  get hasSystemDiscord(): boolean {
    return Boolean(
      this.env.DISCORD_DEFAULT_WEBHOOK_URL || this.env.DISCORD_BOT_TOKEN || this.env.SYSTEM_DISCORD_WEBHOOK_URL,
    );
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment once; throws a ConfigValidationError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings (e.g. `PORT=` in a .env file) mean "unset", so defaults apply.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  // Which documented name a value came from, so that an error names the variable actually set.
  const readFrom: Record<string, string> = {};
  for (const [ours, theirs] of Object.entries(ENVIRONMENT_ALIASES)) {
    if (present[ours] === undefined && present[theirs] !== undefined) {
      present[ours] = present[theirs];
      readFrom[ours] = theirs;
    }
  }
  const describe = (issue: z.core.$ZodIssue) => {
    const name = issue.path.join('.');
    const value = present[name];
    const shown =
      value === undefined ? 'unset' : `got "${/URL|SECRET|KEY|PASSWORD|TOKEN/.test(name) ? '<redacted>' : value}"`;
    return `${readFrom[name] ?? name}: ${issue.message} (${shown})`;
  };
  const problems: string[] = [];
  let partsRefused = false;
  if (present.DATABASE_URL === undefined && DATABASE_PARTS.some((name) => present[name] !== undefined)) {
    const parts = databasePartsSchema.safeParse(present);
    if (parts.success) present.DATABASE_URL = composeDatabaseUrl(parts.data);
    else {
      partsRefused = true;
      problems.push(...parts.error.issues.map(describe));
    }
  }
  const result = validatedEnvironment.safeParse(present);
  if (!result.success) {
    // A refused DB_* part already explains why there is no DATABASE_URL.
    const issues = result.error.issues.filter((issue) => !(partsRefused && issue.path[0] === 'DATABASE_URL'));
    problems.push(...issues.map(describe));
  }
  if (problems.length > 0 || !result.success) throw new ConfigValidationError(problems);
  return new AppConfig(Object.freeze(result.data));
}
