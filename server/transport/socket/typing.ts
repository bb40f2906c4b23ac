/** Socket events of the typing family: "I am typing in this room". */
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { reportTyping } from '../../domain/typing.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';
import type { GatewaySocket } from './typed-socket.ts';

export function registerTypingEvents(socket: GatewaySocket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  onEvent(socket, 'typing', { inFlight, log: deps.log }, (payload) =>
    reportTyping(deps, principal, payload.roomId.toLowerCase()),
  );
}
