/** Start-up: read the configuration, build the gateway, listen, and drain cleanly on SIGTERM. */
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = await buildApp(config);
await app.listen();
app.fastify.log.info(
  { database: app.database.kind, fanout: config.redisUrl ? 'redis' : 'in-process' },
  `Quanzi is ready on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${app.fastify.server.address() && typeof app.fastify.server.address() === 'object' ? (app.fastify.server.address() as { port: number }).port : config.port}`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.fastify.log.info({ signal }, 'draining');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.fastify.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
