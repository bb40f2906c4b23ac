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
  socket.on(event, (...args: unknown[]) => {
    // Socket.IO hands the ack over as the last argument, whatever came before it: an event sent
    // with no payload arrives as (ack) and one with extra arguments as (payload, extra, ack).
    const ack = args.at(-1);
    const payload = args.length > 1 ? args[0] : undefined;
    if (typeof ack !== 'function') {
      // Without an ack there is nobody to tell; say so once on the socket for debugging clients.
      socket.emit('error:event', { event, code: 'VALIDATION_FAILED', message: `${event} must be sent with an acknowledgement callback` });
      return;
    }
    const reply = ack as Ack;
    let parsed: T;
    try {
      if (args.length > 2) throw new AppError('VALIDATION_FAILED', `${event} takes one payload and an acknowledgement callback`);
      parsed = check(payload);
    } catch (error) {
      if (!isAppError(error)) context.log.error({ err: error, event }, 'socket payload check failed');
      reply({ ok: false, error: (isAppError(error) ? error : new AppError('INTERNAL')).toBody() });
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
