/**
 * The Socket.IO side of the gateway: authenticates the handshake, places the connection in its
 * user's rooms, and registers the event families. Cross-gateway behaviour lives in the adapter
 * (Redis when configured) and in fanout/; nothing here knows how many gateways there are.
 */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { MAX_TEXT_LENGTH } from '../../../shared/schemas.ts';
import { authenticate } from '../../domain/accounts.ts';
import { hiddenSendersOf } from '../../domain/blocks.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { answerToFailure } from '../../domain/failures.ts';
import { AppError } from '../../errors.ts';
import type { OrderedDelivery } from '../../fanout/ordered-delivery.ts';
import type { InFlight } from '../../in-flight.ts';
import type { OfflineGrace } from '../../presence/offline-grace.ts';
import { roomIdsOfUser } from '../../domain/room-lists.ts';
import { blockersChannel, roomChannel, roomIdOfChannel, sessionChannel, userChannel } from './channels.ts';
import { registerMessageActionEvents } from './message-actions.ts';
import { registerMessageEvents } from './messages.ts';
import { trackPresence } from './presence.ts';
import { registerReadEvents } from './read-state.ts';
import type { GatewayServer } from './typed-socket.ts';
import { registerTypingEvents } from './typing.ts';

export function createSocketServer(httpServer: HttpServer): GatewayServer {
  const io: GatewayServer = new Server(httpServer, {
    // A message is at most 4000 characters; anything far larger is not a legitimate client.
    maxHttpBufferSize: MAX_TEXT_LENGTH * 4 + 16 * 1024,
    serveClient: false,
    cors: { origin: true, credentials: true },
  });
  // Socket.IO keeps each connection's first HTTP request for its lifetime (a few KB apiece);
  // nothing here reads it after the handshake (the token travels in the CONNECT packet), so let
  // it go, as Socket.IO's memory-usage guide suggests.
  io.engine.on('connection', (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });
  return io;
}

/** Watches a room on this gateway for as long as one of its sockets is in it. */
export function followLocalRooms(io: GatewayServer, delivery: OrderedDelivery, log: Logger): void {
  const adapter = io.of('/').adapter;
  adapter.on('create-room', (channel: string) => {
    const roomId = roomIdOfChannel(channel);
    if (roomId) delivery.watch(roomId).catch((error: unknown) => log.error({ err: error, roomId }, 'could not watch room'));
  });
  adapter.on('delete-room', (channel: string) => {
    const roomId = roomIdOfChannel(channel);
    if (roomId) delivery.unwatch(roomId).catch((error: unknown) => log.error({ err: error, roomId }, 'could not unwatch room'));
  });
}

export function attachSocketHandlers(io: GatewayServer, deps: DomainDeps, delivery: OrderedDelivery, inFlight: InFlight, presence: OfflineGrace): void {
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    (async () => {
      if (inFlight.isDraining) throw new AppError('SHUTTING_DOWN');
      const principal = await authenticate(deps, typeof token === 'string' ? token : undefined);
      const [roomIds, hiddenSenders] = await Promise.all([roomIdsOfUser(deps, principal.userId), hiddenSendersOf(deps, principal.userId)]);
      // Subscribed before the socket counts as connected, so it misses nothing sent after connect.
      await Promise.all(roomIds.map((roomId) => delivery.watch(roomId)));
      socket.data = { principal, roomIds, hiddenSenders };
    })().then(
      () => next(),
      (error: unknown) => {
        // A refused handshake reaches the client as connect_error; `data` carries the same body as any error.
        const refusal = answerToFailure(error, deps.log, 'socket handshake failed');
        next(Object.assign(new Error(refusal.message), { data: refusal.toBody() }));
      },
    );
  });

  io.on('connection', (socket) => {
    const { principal, roomIds, hiddenSenders } = socket.data;
    socket.join([userChannel(principal.userId), sessionChannel(principal.sessionId), ...roomIds.map(roomChannel), ...hiddenSenders.map(blockersChannel)]);
    registerMessageEvents(socket, principal, deps, inFlight);
    registerMessageActionEvents(socket, principal, deps, inFlight);
    registerReadEvents(socket, principal, deps, inFlight);
    registerTypingEvents(socket, principal, deps, inFlight);
    // After joining its rooms, so the socket itself hears its user come online.
    trackPresence(socket, principal, presence);
  });
}
