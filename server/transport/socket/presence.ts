/** Tells presence about this gateway's sockets: each connection counts until it disconnects. */
import type { Principal } from '../../domain/principal.ts';
import type { OfflineGrace } from '../../presence/offline-grace.ts';
import type { GatewaySocket } from './typed-socket.ts';

/** Disconnects the server decided: the user is gone now, not maybe back in a moment. */
const ENDED_BY_SERVER = new Set(['server namespace disconnect', 'server shutting down', 'forced server close']);

export function trackPresence(socket: GatewaySocket, principal: Principal, presence: OfflineGrace): void {
  presence.socketConnected(principal.userId, socket.id);
  socket.once('disconnect', (reason: string) => {
    if (ENDED_BY_SERVER.has(reason)) presence.socketDisconnected(principal.userId, socket.id);
    else presence.socketDropped(principal.userId, socket.id);
  });
}
