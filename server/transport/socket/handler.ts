/**
 * Wraps a socket event handler: checks the payload against its schema, runs the work under the
 * in-flight counter, and answers through the ack as `{ ok: true, ... }` or `{ ok: false, error }`.
 * A malformed event never throws out of here, so a client cannot crash the gateway.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { TSchema } from 'typebox';
import { AppError, isAppError } from '../../errors.ts';
import type { InFlight } from '../../in-flight.ts';
import { payloadValidator } from '../validation.ts';

type Ack = (response: unknown) => void;

export function onEvent<T, R extends object>(
  socket: Socket,
  event: string,
  schema: TSchema,
  context: { inFlight: InFlight; log: Logger },
  handle: (payload: T) => Promise<R>,
): void {
  const check = payloadValidator<T>(schema);
  socket.on(event, (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') {
      // Without an ack there is nobody to tell; say so once on the socket for debugging clients.
      socket.emit('error:event', { event, code: 'VALIDATION_FAILED', message: `${event} must be sent with an acknowledgement callback` });
      return;
    }
    const reply = ack as Ack;
    let parsed: T;
    try {
      parsed = check(payload);
    } catch (error) {
      reply({ ok: false, error: (error as AppError).toBody() });
      return;
    }
    context.inFlight
      .run(() => handle(parsed))
      .then(
        (result) => reply({ ok: true, ...result }),
        (error: unknown) => {
          if (isAppError(error)) {
            reply({ ok: false, error: error.toBody() });
          } else {
            context.log.error({ err: error, event }, 'socket handler failed');
            reply({ ok: false, error: new AppError('INTERNAL').toBody() });
          }
        },
      );
  });
}
