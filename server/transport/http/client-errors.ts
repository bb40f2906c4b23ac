/**
 * Requests Node's HTTP parser refuses before Fastify ever sees them: a malformed request line or
 * header, bytes after a request that do not start another (a body sent without a length, as an
 * OPTIONS with a body often is), headers over the size limit, a request that took too long to
 * arrive. Node reports them as `clientError` on the server; Fastify's default answer has a body
 * of its own shape. This one answers in ours, `{ error: { code, message } }`, and closes.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';

/** Node's parser error codes (llhttp's HPE_*, and the server's timeouts) → our answer. */
function answerFor(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('HEADERS_TOO_LARGE');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError('PAYLOAD_TOO_LARGE', 'The chunk extensions of the request body are over the size limit');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('REQUEST_TIMEOUT');
    case 'HPE_INVALID_METHOD':
      return new AppError('VALIDATION_FAILED', 'The request is not HTTP: unknown method (was a body sent without Content-Length?)');
    default:
      return new AppError('VALIDATION_FAILED', 'The request is not valid HTTP');
  }
}

export function answerClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  // A reset connection is gone: there is nobody to answer (as Fastify's own handler does).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = answerFor(error.code);
  this.log.debug({ err: error, code: refusal.code }, 'HTTP request refused by the parser');
  // Answer unless a response on this connection is half-way out: ours would land in the middle of
  // it. One fully written (a 404 to an OPTIONS whose body then failed to parse) is done with.
  const current = (socket as Socket & { _httpMessage?: { headersSent: boolean; writableEnded: boolean } | null })._httpMessage;
  if (socket.writable && (!current || !current.headersSent || current.writableEnded)) {
    const body = JSON.stringify({ error: refusal.toBody() });
    // end(), not write() then destroy(): the answer is flushed before the connection closes.
    socket.end(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // A client that never reads its answer must not keep the socket.
    setTimeout(() => socket.destroy(), 1_000).unref();
    return;
  }
  socket.destroy(error);
}
