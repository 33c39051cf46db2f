import { randomBytes } from 'node:crypto';
import { ConfigValidationError, loadConfig } from '../../src/config/app-config';

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
});
