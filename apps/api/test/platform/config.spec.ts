import { ConfigValidationError, loadConfig } from '../../src/config/app-config';

describe('configuration', () => {
  it('applies defaults when only DATABASE_URL is given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@localhost:5432/db' });
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
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:hunter2@db/x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    const problems = (caught as ConfigValidationError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((caught as Error).message).not.toContain('hunter2');
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('"eighty"');
  });

  it('reports a missing DATABASE_URL as required', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL: is required/);
  });

  it('treats empty values as unset so defaults apply', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@y/z', PORT: '' }).env.PORT).toBe(8080);
  });
});
