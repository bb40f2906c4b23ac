/** Socket events of the typing family: "I am typing in this room". */
import type { Socket } from 'socket.io';
import { SocketTypingPayload } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { reportTyping } from '../../domain/typing.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';

export function registerTypingEvents(socket: Socket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  onEvent<SocketTypingPayload, object>(socket, 'typing', SocketTypingPayload, { inFlight, log: deps.log }, (payload) =>
    reportTyping(deps, principal, payload.roomId.toLowerCase()),
  );
}
