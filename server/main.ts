/** Start-up: read the configuration, build the gateway, listen, and drain cleanly on SIGTERM. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

/** A setting or a data directory the gateway cannot run with: said plainly, no stack trace. */
function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  exitOnConfigError(error);
}

const app = await buildApp(config).catch(exitOnConfigError);
const url = (await app.listen()).replace('0.0.0.0', 'localhost');
// Compiled (`npm run build`, dist/) or the TypeScript sources through tsx: says which code is serving.
const runs = import.meta.url.endsWith('.js') ? 'compiled' : 'source';
app.fastify.log.info({ url, database: app.database.kind, fanout: config.redisUrl ? 'redis' : 'in-process', runs }, `Quanzi is ready on ${url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.fastify.log.info({ signal }, 'draining: refusing new sends, finishing accepted ones');
    app.close().then(
      () => {
        app.fastify.log.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        app.fastify.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
