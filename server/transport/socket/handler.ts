/**
 * Wraps a socket event handler: checks the payload against the event's schema, runs the work
 * under the in-flight counter, and answers through the ack as `{ ok: true, ... }` or
 * `{ ok: false, error }`. A malformed event never throws out of here, so a client cannot crash
 * the gateway. The payload and the answer are the ones shared/events.ts gives the event.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { ClientEventSchemas, type Acknowledge, type ClientEventName, type ClientEventPayload, type ClientEventResult } from '../../../shared/events.ts';
import type { Ack } from '../../../shared/schemas.ts';
import { answerToFailure } from '../../domain/failures.ts';
import { AppError, isAppError } from '../../errors.ts';
import type { InFlight } from '../../in-flight.ts';
import { payloadValidator } from '../validation.ts';
import type { GatewaySocket } from './typed-socket.ts';

export function onEvent<E extends ClientEventName>(
  socket: GatewaySocket,
  event: E,
  context: {
    inFlight: InFlight;
    log: Logger;
    /** Told every answer, with when the event arrived (performance.now()): for the metrics. */
    onAnswer?: (answer: Ack<ClientEventResult<E>>, receivedAt: number) => void;
  },
  handle: (payload: ClientEventPayload<E>) => Promise<ClientEventResult<E>>,
): void {
  const check = payloadValidator<ClientEventPayload<E>>(ClientEventSchemas[event]);
  // The arguments are whatever the client sent, not what the protocol promises: they are
  // listened to untyped and believed only after the schema check.
  const untyped: Socket = socket;
  const name: string = event;
  untyped.on(name, (...args: unknown[]) => {
    // Socket.IO hands the ack over as the last argument, whatever came before it: an event sent
    // with no payload arrives as (ack) and one with extra arguments as (payload, extra, ack).
    const ack = args.at(-1);
    const payload = args.length > 1 ? args[0] : undefined;
    if (typeof ack !== 'function') {
      // Without an ack there is nobody to tell; say so once on the socket for debugging clients.
      socket.emit('error:event', { event, code: 'VALIDATION_FAILED', message: `${event} must be sent with an acknowledgement callback` });
      return;
    }
    const onAnswer = context.onAnswer;
    const receivedAt = onAnswer ? performance.now() : 0;
    const acknowledge = ack as Acknowledge<ClientEventResult<E>>;
    const reply: Acknowledge<ClientEventResult<E>> = onAnswer
      ? (answer) => {
          acknowledge(answer);
          onAnswer(answer, receivedAt);
        }
      : acknowledge;
    let parsed: ClientEventPayload<E>;
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
        (error: unknown) => reply({ ok: false, error: answerToFailure(error, context.log.child({ event }), 'socket handler failed').toBody() }),
      );
  });
}
