import { z } from 'zod';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
});

export type Environment = z.infer<typeof environmentSchema>;

/** The validated configuration, injected wherever settings are needed. */
export class AppConfig {
  readonly version = version;
  constructor(readonly env: Readonly<Environment>) {}

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
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
  const result = environmentSchema.safeParse(present);
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
