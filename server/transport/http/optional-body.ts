import type { FastifyRequest } from 'fastify';

/**
 * For POST routes whose body is optional: a request sent with no body at all is treated as `{}`,
 * so the schema still checks whatever is sent but an empty POST is not a validation error.
 */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) (request as { body: unknown }).body = {};
}
