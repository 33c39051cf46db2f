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

function isKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value.trim()) && Buffer.from(value.trim(), 'base64').length === 32;
}

/** Every environment variable the API reads, with its default. README's table mirrors this. */
const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z
    .string({ error: 'is required (postgresql://user:password@host:5432/dbname)' })
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  APP_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  MIGRATIONS_DIR: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),

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

  /** Where pg_dump/pg_restore of each major live; {major} is replaced (Debian/PGDG layout by default). */
  PG_BIN_DIR_TEMPLATE: z
    .string()
    .includes('{major}', { error: 'must contain {major}, e.g. /usr/lib/postgresql/{major}/bin' })
    .default('/usr/lib/postgresql/{major}/bin'),
  /** Root of `local` storage; each tenant gets its own folder below it (tenants never name a path). */
  STORAGE_LOCAL_ROOT: z.string().min(1).default('./.data/storage'),
  /** Backups and restores this API process runs at once; more wait in line. */
  MAX_CONCURRENT_BACKUPS: z.coerce.number().int().min(1).max(64).default(2),
  /** Where a restore keeps its verified copy of the archive (needs room for the largest dump). */
  RESTORE_TEMP_DIR: z.string().min(1).default(tmpdir()),
  /** pg_restore --jobs for restores (the archive is a local file by then). */
  RESTORE_JOBS: z.coerce.number().int().min(1).max(32).default(2),
});

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
  const result = validatedEnvironment.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = present[name];
      const shown =
        value === undefined ? 'unset' : `got "${/URL|SECRET|KEY|PASSWORD|TOKEN/.test(name) ? '<redacted>' : value}"`;
      return `${name}: ${issue.message} (${shown})`;
    });
    throw new ConfigValidationError(problems);
  }
  return new AppConfig(Object.freeze(result.data));
}
