/** Every HTTP error leaves as `{ error: { code, message } }` with the catalogue's status. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../errors.ts';
import { validationError } from '../validation.ts';

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
      request.log.error({ err: error }, 'request failed');
      appError = new AppError('INTERNAL');
      status = 500;
    }
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
