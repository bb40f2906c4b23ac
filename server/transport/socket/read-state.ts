/** Socket events of the read-state family: moving the read position. */
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { markRead } from '../../domain/read-state.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';
import type { GatewaySocket } from './typed-socket.ts';

export function registerReadEvents(socket: GatewaySocket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  onEvent(socket, 'read', { inFlight, log: deps.log }, (payload) =>
    markRead(deps, principal, payload.roomId.toLowerCase(), payload.seq),
  );
}
