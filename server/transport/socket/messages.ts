/** Socket events of the message family: sending and catching up. */
import type { Socket } from 'socket.io';
import { SocketSendPayload, SyncPayload } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { syncRooms } from '../../domain/history.ts';
import type { Principal } from '../../domain/principal.ts';
import { sendMessage } from '../../domain/send-message.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';

export function registerMessageEvents(socket: Socket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  const context = { inFlight, log: deps.log };

  onEvent<SocketSendPayload, object>(socket, 'message:send', SocketSendPayload, context, async (payload) => {
    const { message, duplicate } = await sendMessage(deps, principal, {
      ...payload,
      roomId: payload.roomId.toLowerCase(),
    });
    return { message, duplicate };
  });

  onEvent<SyncPayload, object>(socket, 'sync', SyncPayload, context, (payload) => syncRooms(deps, principal, payload.cursors));
}
