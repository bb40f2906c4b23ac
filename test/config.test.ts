import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('configuration', () => {
  it('runs embedded on port 3000 with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: null, redisUrl: null, logLevel: 'info', dataDir: path.resolve('data') });
  });

  it('reads real-mode settings', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/chat', REDIS_URL: 'redis://cache:6379', LOG_LEVEL: 'warn', DATA_DIR: '/var/lib/quanzi' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@db:5432/chat', redisUrl: 'redis://cache:6379', logLevel: 'warn', dataDir: '/var/lib/quanzi' });
  });

  it('reads the site moderators once, as a list of usernames', () => {
    expect(loadConfig({}).siteAdmins).toEqual([]);
    expect(loadConfig({ SITE_ADMINS: ' mei, lin_2 ,mei,' }).siteAdmins).toEqual(['mei', 'lin_2']);
    expect(() => loadConfig({ SITE_ADMINS: 'mei,Not A Name' })).toThrow(/SITE_ADMINS="mei,Not A Name": not usernames .*: Not A Name/);
  });

  it('names every bad value in one clear error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty": must be a whole number');
    expect(message).toContain('DATABASE_URL="mysql://x": must start with postgres:// or postgresql://');
    expect(message).toContain('REDIS_URL="not a url": is not a URL');
    expect(message).toContain('LOG_LEVEL="loud": must be one of');
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/between 0 and 65535/);
  });

  it('lets members edit for a day unless EDIT_WINDOW_SECONDS says otherwise, and refuses a window it cannot read', () => {
    expect(loadConfig({}).editWindowSeconds).toBe(86_400);
    expect(loadConfig({ EDIT_WINDOW_SECONDS: '600' }).editWindowSeconds).toBe(600);
    expect(() => loadConfig({ EDIT_WINDOW_SECONDS: 'a day' })).toThrow(/EDIT_WINDOW_SECONDS="a day": must be a whole number/);
    expect(() => loadConfig({ EDIT_WINDOW_SECONDS: '99999999' })).toThrow(/EDIT_WINDOW_SECONDS/);
  });

  it('leaves /metrics open unless METRICS_TOKEN is set, and refuses a token too short to be a secret', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'k3p9-scrape-token-2f7a' }).metricsToken).toBe('k3p9-scrape-token-2f7a');
    // Named, but not repeated into the log: it is a secret.
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be 16 to 512 visible ASCII characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in the middle' })).toThrow(/^(?![\s\S]*has a space)[\s\S]*METRICS_TOKEN/);
  });

  it('logs pretty lines to a terminal and JSON anywhere else, unless LOG_FORMAT says which', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow('LOG_FORMAT="text": must be one of pretty, json');
  });
});
