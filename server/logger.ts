/**
 * The gateway's log: one JSON object per line for collectors and pipes (LOG_FORMAT=json, the
 * default when stdout is not a terminal), or pino-pretty lines for a person at a terminal, each
 * with its time, level, message and the request, room and user it concerns.
 *
 * What never reaches it at info level: passwords, tokens and message text. Fastify logs no bodies
 * and no headers, and the one secret that travels in a URL — an incoming webhook's — is cut out of
 * the request line here (test/e2e/logs.test.ts signs in, sends and posts through a hook, and
 * looks for each secret in the output).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from './config.ts';

// `/v1/hooks/:hookId/:secret` (server/transport/http/hooks.ts): the path is the credential.
const WEBHOOK_SECRET_IN_PATH = /^(\/v1\/hooks\/[^/?#]+\/)[^/?#]+/;

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

const options = (config: Pick<Config, 'logLevel'>): LoggerOptions => ({
  level: config.logLevel,
  redact: { paths: ['req.headers.authorization', '*.password', '*.token'], censor: '[redacted]' },
  serializers: {
    // Fastify's own request serializer, with the URL made safe to keep.
    req: (request: LoggedRequest) => ({
      method: request.method,
      url: request.url.replace(WEBHOOK_SECRET_IN_PATH, '$1[redacted]'),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    }),
  },
});

/** Context fields shown after the message on a pretty line, in this order. */
const CONTEXT = ['reqId', 'roomId', 'userId'] as const;

/**
 * In-process rather than a worker-thread transport: at the volumes a terminal shows it costs the
 * event loop little (docs/benchmarks.md, "Logs"), it needs no extra thread, and the last lines
 * before an exit are written synchronously instead of lost with the worker.
 */
function prettyStream() {
  return pinoPretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: ['pid', 'hostname', 'req', 'res', 'responseTime', ...CONTEXT].join(','),
    messageFormat: (log, messageKey) => {
      const request = log.req as LoggedRequest | undefined;
      const response = log.res as { statusCode?: number } | undefined;
      const parts = [String(log[messageKey] ?? '')];
      if (request) parts.push(`${request.method} ${request.url}`);
      if (response?.statusCode !== undefined) parts.push(`${response.statusCode}${typeof log.responseTime === 'number' ? ` in ${log.responseTime.toFixed(1)} ms` : ''}`);
      const context = CONTEXT.filter((key) => log[key] !== undefined).map((key) => `${key}=${String(log[key])}`);
      if (context.length > 0) parts.push(`(${context.join(' ')})`);
      return parts.join(' ');
    },
  });
}

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  return config.logFormat === 'pretty' ? pino(options(config), prettyStream()) : pino(options(config));
}
