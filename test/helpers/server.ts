/** Starts a real gateway on a free port for a test, against the embedded PostgreSQL or the real servers. */
import { buildApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueRedisPrefix, type TestDatabase } from './env.ts';

export interface TestServer {
  app: App;
  url: string;
  /** Environment that starts another gateway on the same database and Redis (multi-process tests). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Force the embedded database even when real servers are configured. */
  embedded?: boolean;
  dataDir?: string;
  env?: Record<string, string>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let database: TestDatabase | null = null;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    LOG_FORMAT: 'json',
    PASSWORD_SCRYPT_LOG_N: '10',
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    SHUTDOWN_GRACE_MS: '5000',
    // Presence tests watch "offline" arrive; test/group/presence.test.ts covers the grace itself.
    PRESENCE_OFFLINE_GRACE_MS: '0',
    DATA_DIR: options.dataDir ?? 'memory://',
  };
  if (!options.embedded && TEST_DATABASE_URL) {
    database = await createTestDatabase();
    env.DATABASE_URL = database.url;
  }
  if (!options.embedded && TEST_REDIS_URL) {
    env.REDIS_URL = TEST_REDIS_URL;
    env.REDIS_PREFIX = uniqueRedisPrefix();
  }
  Object.assign(env, options.env);
  const app = await buildApp(loadConfig(env));
  const url = await app.listen();
  return {
    app,
    url,
    env,
    async close() {
      await app.close();
      await database?.drop();
    },
  };
}
