/** Socket events of the read-state family: moving the read position. */
import type { Socket } from 'socket.io';
import { SocketReadPayload } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { markRead } from '../../domain/read-state.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';

export function registerReadEvents(socket: Socket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  onEvent<SocketReadPayload, object>(socket, 'read', SocketReadPayload, { inFlight, log: deps.log }, (payload) =>
    markRead(deps, principal, payload.roomId.toLowerCase(), payload.seq),
  );
}
