/**
 * POSTs a delivery to a bot's endpoint without letting a bot reach inside our network. The
 * destination is checked at connect time, on the address actually dialled (a custom `lookup`),
 * so a hostname cannot pass the check and then resolve to 10.0.0.1 (DNS rebinding). Loopback is
 * allowed only when the server enables BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP (local development, tests).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isAllowedDestination } from '../domain/public-addresses.ts';

export class ForbiddenDestinationError extends Error {
  override name = 'ForbiddenDestinationError';
}

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
  // Node asks for every address (all: true) when it races IPv4 and IPv6; answer in the shape asked.
  const lookup = ((hostname: string, lookupOptions: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const refused = addresses.find((entry) => !isAllowedDestination(entry.address, options.allowLoopback));
      if (refused || addresses.length === 0) {
        return callback(new ForbiddenDestinationError(`refusing to deliver to ${refused?.address ?? hostname}: not a public address`));
      }
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as unknown as net.LookupFunction;
  return new Promise((resolve, reject) => {
    const hostIsLiteral = net.isIP(target.hostname.replace(/^\[|\]$/g, '')) !== 0;
    if (hostIsLiteral && !isAllowedDestination(target.hostname.replace(/^\[|\]$/g, ''), options.allowLoopback)) {
      reject(new ForbiddenDestinationError(`refusing to deliver to ${target.hostname}: not a public address`));
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
