import { randomBytes } from 'node:crypto';
import { ConfigValidationError, loadConfig } from '../../src/config/app-config';
import { corsDelegate } from '../../src/common/http/cors';

const KEY = randomBytes(32).toString('base64');

describe('configuration', () => {
  it('applies defaults when only DATABASE_URL is given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@localhost:5432/db', APP_ENCRYPTION_KEY: KEY });
    expect(config.env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8080,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      APP_ROLE: 'all',
    });
  });

  it('names every bad or missing variable at once, without echoing secrets', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        APP_ENCRYPTION_KEY: 'short',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const problems = (caught as ConfigValidationError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'APP_ENCRYPTION_KEY',
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
    ]);
    expect((caught as Error).message).not.toContain('hunter2');
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('"eighty"');
  });

  it('reports a missing DATABASE_URL as required', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL: is required/);
  });

  it('treats empty values as unset so defaults apply', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@y/z', APP_ENCRYPTION_KEY: KEY, PORT: '' }).env.PORT).toBe(8080);
  });

  it('refuses production without Discord delivery (codes are never logged in production)', () => {
    const base = { DATABASE_URL: 'postgres://x@y/z', APP_ENCRYPTION_KEY: KEY, NODE_ENV: 'production' };
    expect(() => loadConfig(base)).toThrow(
      /DISCORD_DEFAULT_WEBHOOK_URL: in production one-time codes must go out on Discord/,
    );
    expect(() =>
      loadConfig({ ...base, DISCORD_DEFAULT_WEBHOOK_URL: 'https://discord.com/api/webhooks/1234567/abc-DEF' }),
    ).not.toThrow();
  });

  it('rejects a webhook URL that is not Discord’s', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://x@y/z',
        APP_ENCRYPTION_KEY: KEY,
        DISCORD_DEFAULT_WEBHOOK_URL: 'https://evil.example/api/webhooks/1/x',
      }),
    ).toThrow(/DISCORD_DEFAULT_WEBHOOK_URL: must be a Discord webhook URL/);
  });

  describe('documented variable names', () => {
    const base = { APP_ENCRYPTION_KEY: KEY };
    const url = 'postgresql://u:p@localhost:5432/db';
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
      throw new Error('loadConfig accepted it');
    };

    it('accepts SERVER_HOST, SERVER_PORT and DISCORD_WEBHOOK_URL, and ours win when both are set', () => {
      const hook = 'https://discord.com/api/webhooks/1234567/abc-DEF';
      const theirs = loadConfig({
        ...base,
        DATABASE_URL: url,
        SERVER_HOST: '127.0.0.1',
        SERVER_PORT: '9090',
        DISCORD_WEBHOOK_URL: hook,
      });
      expect(theirs.env).toMatchObject({ HOST: '127.0.0.1', PORT: 9090, DISCORD_DEFAULT_WEBHOOK_URL: hook });
      expect(theirs.hasSystemDiscord).toBe(true);
      const both = loadConfig({
        ...base,
        DATABASE_URL: url,
        HOST: '::1',
        SERVER_HOST: '127.0.0.1',
        PORT: '8181',
        SERVER_PORT: '9090',
        DISCORD_DEFAULT_WEBHOOK_URL: 'https://discord.com/api/webhooks/7654321/ours',
        DISCORD_WEBHOOK_URL: hook,
      });
      expect(both.env).toMatchObject({
        HOST: '::1',
        PORT: 8181,
        DISCORD_DEFAULT_WEBHOOK_URL: 'https://discord.com/api/webhooks/7654321/ours',
      });
    });

    it('names the documented variable a bad value came from', () => {
      const problems = problemsOf({
        ...base,
        DATABASE_URL: url,
        SERVER_PORT: 'eighty',
        DISCORD_WEBHOOK_URL: 'https://x.example/hook',
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DISCORD_WEBHOOK_URL', 'SERVER_PORT']);
      expect(problems.join('\n')).toContain('"eighty"');
    });

    it('composes DATABASE_URL from DB_* parts, percent-encoding user and password, sslmode as a parameter', () => {
      const config = loadConfig({
        ...base,
        DB_HOST: 'db.internal',
        DB_PORT: '6543',
        DB_USER: 'app@ops',
        DB_PASSWORD: 'p@ss:w/rd?#%&=',
        DB_NAME: 'dumpstation',
        DB_SSLMODE: 'require',
      });
      const composed = new URL(config.env.DATABASE_URL);
      expect(composed).toMatchObject({ hostname: 'db.internal', port: '6543', pathname: '/dumpstation' });
      expect(decodeURIComponent(composed.username)).toBe('app@ops');
      expect(decodeURIComponent(composed.password)).toBe('p@ss:w/rd?#%&=');
      expect(composed.searchParams.get('sslmode')).toBe('require');
      // Port 5432 and no sslmode parameter by default; an IPv6 host in brackets.
      expect(loadConfig({ ...base, DB_HOST: '::1', DB_USER: 'u', DB_NAME: 'd' }).env.DATABASE_URL).toBe(
        'postgresql://u@[::1]:5432/d',
      );
    });

    it('prefers DATABASE_URL over DB_* parts', () => {
      const config = loadConfig({ ...base, DATABASE_URL: url, DB_HOST: 'elsewhere', DB_USER: 'x', DB_NAME: 'y' });
      expect(config.env.DATABASE_URL).toBe(url);
    });

    it('names each missing or bad DB_* part instead of asking for DATABASE_URL', () => {
      const problems = problemsOf({ ...base, DB_HOST: 'db', DB_PORT: 'abc', DB_SSLMODE: 'sometimes' });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DB_NAME', 'DB_PORT', 'DB_SSLMODE', 'DB_USER']);
      expect(problems.find((p) => p.startsWith('DB_USER'))).toContain('is required when DATABASE_URL is unset');
      expect(() => loadConfig(base)).toThrow(/DATABASE_URL: is required .*or set DB_HOST, DB_USER and DB_NAME/);
    });

    it('never echoes DB_PASSWORD in an error', () => {
      const problems = problemsOf({ ...base, DB_PASSWORD: 'hunter2' });
      expect(problems.join('\n')).not.toContain('hunter2');
    });
  });

  describe('CORS settings', () => {
    const base = { APP_ENCRYPTION_KEY: KEY, DATABASE_URL: 'postgresql://u:p@localhost:5432/db' };

    it('defaults to no CORS at all, with the documented defaults for the rest', () => {
      const config = loadConfig(base);
      expect(corsDelegate(config)).toBeUndefined();
      expect(config.env).toMatchObject({
        CORS_ALLOWED_METHODS: 'GET,POST,PUT,DELETE,OPTIONS,PATCH',
        CORS_ALLOW_CREDENTIALS: false,
        CORS_MAX_AGE: 86400,
        CORS_DEBUG: false,
      });
      expect(config.env.CORS_ALLOWED_HEADERS.split(',')).toEqual(
        expect.arrayContaining(['Authorization', 'Content-Type', 'X-2FA-Token']),
      );
    });

    it('refuses * with credentials, naming both variables', () => {
      expect(() => loadConfig({ ...base, CORS_ALLOWED_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' })).toThrow(
        /CORS_ALLOWED_ORIGINS: .*CORS_ALLOW_CREDENTIALS/,
      );
      expect(() => loadConfig({ ...base, CORS_ALLOWED_ORIGINS: '*' })).not.toThrow();
      expect(() =>
        loadConfig({ ...base, CORS_ALLOWED_ORIGINS: 'https://a.example', CORS_ALLOW_CREDENTIALS: 'true' }),
      ).not.toThrow();
    });

    it('refuses origins that a browser would never send and booleans that are not', () => {
      for (const origin of ['https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example']) {
        expect(() => loadConfig({ ...base, CORS_ALLOWED_ORIGINS: origin })).toThrow(/CORS_ALLOWED_ORIGINS: must be/);
      }
      expect(() => loadConfig({ ...base, CORS_ALLOW_CREDENTIALS: 'maybe' })).toThrow(
        /CORS_ALLOW_CREDENTIALS: must be true or false/,
      );
    });
  });
});
