/**
 * POSTs a delivery to a bot's endpoint without letting a bot reach inside our network. The
 * destination is checked at connect time, on the address actually dialled (a custom `lookup`),
 * so a hostname cannot pass the check and then resolve to 10.0.0.1 (DNS rebinding). Loopback is
 * allowed only when the server enables BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP (local development, tests).
 */
import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refuseLiteralHost } from '../net/public-dial.ts';

export interface OutboundResponse {
  status: number;
  body: string;
}

export function postJson(
  url: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; maxResponseBytes: number; allowLoopback: boolean },
): Promise<OutboundResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const lookup = publicOnlyLookup(options.allowLoopback);
  return new Promise((resolve, reject) => {
    try {
      refuseLiteralHost(target, options.allowLoopback);
    } catch (error) {
      reject(error);
      return;
    }
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body).toString() },
        lookup,
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A reply is a short chat message; a huge body is read no further and counts as none.
          if (size <= options.maxResponseBytes) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: size <= options.maxResponseBytes ? Buffer.concat(chunks).toString('utf8') : '' }));
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), { name: 'TimeoutError' })), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), { name: 'TimeoutError' })));
    request.on('error', reject);
    request.end(options.body);
  });
}
