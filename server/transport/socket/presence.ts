/** Tells presence about this gateway's sockets: each connection counts until it disconnects. */
import type { Socket } from 'socket.io';
import type { Principal } from '../../domain/principal.ts';
import type { Presence } from '../../presence/presence.ts';

export function trackPresence(socket: Socket, principal: Principal, presence: Presence): void {
  presence.socketConnected(principal.userId, socket.id);
  socket.once('disconnect', () => presence.socketDisconnected(principal.userId, socket.id));
}
