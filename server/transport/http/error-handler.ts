/** Every HTTP error leaves as `{ error: { code, message } }` with the catalogue's status. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse } from '../../../shared/schemas.ts';
import { answerToFailure } from '../../domain/failures.ts';
import { AppError, isAppError, type ErrorCode } from '../../errors.ts';
import { validationError } from '../validation.ts';

const ERROR_RESPONSE_REF = { $ref: 'ErrorResponse#' };

/**
 * The error body is registered once and routes point at it, so the OpenAPI document holds it once
 * (components/schemas/ErrorResponse) instead of a copy per route. Route files keep naming the
 * TypeBox value, which types their replies; here it becomes a reference. Any route may fail with
 * 500 INTERNAL, 503 UNAVAILABLE while the database is unreachable or, while the gateway drains,
 * 503 SHUTTING_DOWN: that is declared here for all of them (`5xx`) rather than route by route; a
 * route's own 5xx entry, like /readyz's 503, still wins.
 * Must run before the routes are registered.
 */
export function declareErrorResponses(app: FastifyInstance): void {
  app.addSchema(ErrorResponse);
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { response?: Record<string, unknown> } | undefined;
    if (!schema?.response) return;
    const response = Object.fromEntries(Object.entries(schema.response).map(([status, body]) => [status, body === ErrorResponse ? ERROR_RESPONSE_REF : body]));
    response['5xx'] ??= ERROR_RESPONSE_REF;
    route.schema = { ...schema, response };
  });
}

/** The code each errored request was answered with, for hooks that run after the answer (the send metrics). */
const answeredCodes = new WeakMap<FastifyRequest, ErrorCode>();

export function errorCodeOf(request: FastifyRequest): ErrorCode | null {
  return answeredCodes.get(request) ?? null;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let appError: AppError;
    let status: number;
    if (isAppError(error)) {
      appError = error;
      status = error.status;
    } else if ((error as FastifyError).validation) {
      appError = validationError((error as FastifyError).validation as never, (error as FastifyError).validationContext ?? 'request');
      status = appError.status;
    } else if ((error as FastifyError).statusCode === 429) {
      appError = new AppError('RATE_LIMITED');
      status = 429;
    } else if ((error as FastifyError).statusCode === 413) {
      appError = new AppError('PAYLOAD_TOO_LARGE');
      status = appError.status;
    } else if ((error as FastifyError).statusCode === 415) {
      appError = new AppError('UNSUPPORTED_MEDIA_TYPE');
      status = appError.status;
    } else if ((error as FastifyError).statusCode && (error as FastifyError).statusCode! < 500) {
      // Fastify's other client errors: mostly a body it could not read (malformed or empty JSON,
      // a length that does not match). Always 400, so the code keeps its one status.
      const aboutTheBody = (error as FastifyError).code?.startsWith('FST_ERR_CTP_') ?? false;
      appError = new AppError('VALIDATION_FAILED', error.message, aboutTheBody ? { field: 'body' } : undefined);
      status = appError.status;
    } else {
      appError = answerToFailure(error, request.log, 'request failed');
      status = appError.status;
    }
    answeredCodes.set(request, appError.code);
    const retryAfterMs = appError.details?.retryAfterMs;
    if (typeof retryAfterMs === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    reply.status(status).send({ error: appError.toBody() });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: new AppError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`).toBody() });
  });
}

/** What a client is told when the router cannot even read the URL; the path itself is not echoed (it may be huge). */
const ROUTER_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed: a path segment is not valid percent-encoding',
  // The router keeps path segments up to maxParamLength; every path param's schema is stricter.
  FST_ERR_MAX_PARAM_LENGTH: 'The URL is malformed: a path segment is far too long',
};

/**
 * Fastify's `frameworkErrors`: the router's own refusals, raised before any route, hook or the
 * error handler runs. Without this they leave in Fastify's body shape, with no code of ours.
 */
export function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message = ROUTER_ERRORS[error.code];
  if (message) {
    reply.status(400).send({ error: new AppError('VALIDATION_FAILED', message, { field: 'params' }).toBody() });
    return;
  }
  request.log.error({ err: error }, 'router failed');
  reply.status(500).send({ error: new AppError('INTERNAL').toBody() });
}
