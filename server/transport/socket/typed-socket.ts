/**
 * The gateway's Socket.IO server and sockets, typed with the protocol's event maps
 * (shared/events.ts): what a socket may be sent and what it may send us are checked at compile
 * time. Events between gateways (`quanzi:live`) stay untyped; they never reach a client.
 */
import type { DefaultEventsMap, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.ts';
import type { Principal } from '../../domain/principal.ts';
import type { RoomEvent } from '../../fanout/bus.ts';
import { blockersChannel } from './channels.ts';

/** What the handshake leaves on each connection. */
export interface SocketData {
  principal: Principal;
  roomIds: readonly string[];
  /** People this user blocked: the socket joins their blockers channels (channels.ts). */
  hiddenSenders: readonly string[];
}

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>;

/**
 * Hands a fan-out event to this gateway's sockets in `channel`; a message skips the sockets of
 * people who blocked its sender (they are in the sender's blockers channel). A RoomEvent pairs
 * each name with its payload, but Socket.IO's types cannot follow that pairing through a union:
 * the server is widened here, once.
 */
export function emitLocally(io: GatewayServer, channel: string, event: RoomEvent): void {
  const target = (io as Server).local.to(channel);
  const senderId = event.name === 'message' ? event.payload.sender?.id : undefined;
  (senderId ? target.except(blockersChannel(senderId)) : target).emit(event.name, event.payload);
}
