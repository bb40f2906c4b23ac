/** Socket events of the message family: sending and catching up. */
import type { SendMessageResult } from '../../../shared/events.ts';
import type { Ack } from '../../../shared/schemas.ts';
import type { DomainDeps, SendResultLabel } from '../../domain/deps.ts';
import { syncRooms } from '../../domain/history.ts';
import type { Principal } from '../../domain/principal.ts';
import { sendMessage } from '../../domain/send-message.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';
import type { GatewaySocket } from './typed-socket.ts';

export function registerMessageEvents(socket: GatewaySocket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  const context = { inFlight, log: deps.log };
  const sendContext = {
    ...context,
    onAnswer: (answer: Ack<SendMessageResult>, receivedAt: number) =>
      deps.metrics.sendAnswered('socket', resultOf(answer), (performance.now() - receivedAt) / 1000),
  };

  onEvent(socket, 'message:send', sendContext, async (payload) => {
    const { message, duplicate } = await sendMessage(deps, principal, {
      ...payload,
      roomId: payload.roomId.toLowerCase(),
    });
    return { message, duplicate };
  });

  onEvent(socket, 'sync', context, (payload) => syncRooms(deps, principal, payload.cursors));
}

function resultOf(answer: Ack<SendMessageResult>): SendResultLabel {
  if (answer.ok) return answer.duplicate ? 'duplicate' : 'stored';
  if (answer.error.code === 'UNAVAILABLE') return 'unavailable';
  return answer.error.code === 'INTERNAL' ? 'failed' : 'refused';
}
