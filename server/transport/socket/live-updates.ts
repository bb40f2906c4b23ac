/**
 * LiveUpdates over Socket.IO. Membership changes must reach the user's sockets on every gateway
 * before the REST call that caused them returns, so they go to the other gateways as
 * server-side events with acknowledgements; the local part subscribes the room on this gateway
 * before adding the sockets, so nothing sent after the call returns can be missed.
 */
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { ServerEventName, ServerEventPayload } from '../../../shared/events.ts';
import type { Message } from '../../../shared/schemas.ts';
import type { LiveUpdates } from '../../domain/live.ts';
import type { FanoutBus, RoomEvent } from '../../fanout/bus.ts';
import type { OrderedDelivery } from '../../fanout/ordered-delivery.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { blockersChannel, roomChannel, sessionChannel, userChannel } from './channels.ts';
import type { GatewayServer } from './typed-socket.ts';

type LiveOp = 'join' | 'leave' | 'disconnect-session' | 'disconnect-user' | 'forget-speaker' | 'forget-bot-listeners' | 'hide-sender' | 'show-sender' | 'rename-user';

/** How long a membership change waits for the other gateways to confirm it. */
export const REMOTE_ACK_TIMEOUT_MS = 3_000;

export class SocketLiveUpdates implements LiveUpdates {
  constructor(
    private readonly io: GatewayServer,
    private readonly bus: FanoutBus,
    private readonly delivery: OrderedDelivery,
    private readonly clustered: boolean,
    private readonly log: Logger,
    /** This gateway's remembered facts, which the forget operations clear. */
    private readonly facts: Pick<DomainDeps, 'speakers' | 'botListeners' | 'sessions' | 'roomLists'>,
  ) {
    if (clustered) {
      io.on('quanzi:live', (op: LiveOp, subject: string, roomId: string, ack: (ok: boolean) => void) => {
        this.applyHere(op, subject, roomId).then(
          () => ack(true),
          (error: unknown) => {
            this.log.error({ err: error, op }, 'applying a live update from another gateway failed');
            ack(false);
          },
        );
      });
    }
  }

  publishMessage(message: Message): void {
    this.bus.publish({ roomId: message.roomId, name: 'message', payload: message, seq: message.seq });
  }

  publishRoomEvent<E extends ServerEventName>(roomId: string, name: E, payload: ServerEventPayload<E>, options?: { exceptUserId?: string }): void {
    if (options?.exceptUserId !== undefined) {
      // The bus delivers to whole rooms; leaving someone out is the adapter's job. It reaches
      // every gateway rather than only those following the room, which suits small ephemeral
      // events such as typing indicators.
      this.untypedIo.to(roomChannel(roomId)).except(userChannel(options.exceptUserId)).emit(name, payload);
      return;
    }
    // The signature has paired name and payload; TypeScript cannot widen a generic event to the
    // union of all events by itself.
    this.bus.publish({ roomId, name, payload } as RoomEvent);
  }

  publishToUsers<E extends ServerEventName>(userIds: string[], name: E, payload: ServerEventPayload<E>): void {
    if (userIds.length > 0) this.untypedIo.to(userIds.map(userChannel)).emit(name, payload);
  }

  /**
   * The server without its event maps, for emitting an event whose name is a type parameter:
   * the signatures above have paired name and payload, and Socket.IO's types cannot follow a
   * generic name through a broadcast.
   */
  private get untypedIo(): Server {
    return this.io;
  }

  addUserToRoom(userId: string, roomId: string): Promise<void> {
    return this.applyEverywhere('join', userId, roomId);
  }

  removeUserFromRoom(userId: string, roomId: string): Promise<void> {
    return this.applyEverywhere('leave', userId, roomId);
  }

  forgetSpeakers(roomId: string, userId: string | null): Promise<void> {
    return this.applyEverywhere('forget-speaker', userId ?? '', roomId);
  }

  forgetBotListeners(roomId: string | null): Promise<void> {
    return this.applyEverywhere('forget-bot-listeners', '', roomId ?? '');
  }

  // The blocked user's id travels in the room argument's place.
  hideSender(blockerId: string, blockedId: string): Promise<void> {
    return this.applyEverywhere('hide-sender', blockerId, blockedId);
  }

  showSender(blockerId: string, blockedId: string): Promise<void> {
    return this.applyEverywhere('show-sender', blockerId, blockedId);
  }

  // The new name travels in the room argument's place.
  renameUser(userId: string, displayName: string): Promise<void> {
    return this.applyEverywhere('rename-user', userId, displayName);
  }

  disconnectSession(sessionId: string): Promise<void> {
    return this.applyEverywhere('disconnect-session', sessionId, '');
  }

  disconnectUser(userId: string): Promise<void> {
    return this.applyEverywhere('disconnect-user', userId, '');
  }

  private async applyEverywhere(op: LiveOp, subject: string, roomId: string): Promise<void> {
    const here = this.applyHere(op, subject, roomId);
    if (this.clustered) {
      await new Promise<void>((resolve) => {
        // The adapter's requestsTimeout bounds the wait for gateways that do not answer.
        this.io.serverSideEmit('quanzi:live', op, subject, roomId, (error: Error | null) => {
          // A gateway that does not answer is down or overloaded; its sockets reconnect and resync.
          if (error) this.log.warn({ err: error, op }, 'a gateway did not confirm a live update in time');
          resolve();
        });
      });
    }
    await here;
  }

  private async applyHere(op: LiveOp, subject: string, roomId: string): Promise<void> {
    switch (op) {
      case 'join': {
        this.facts.roomLists.forgetKey(subject);
        if (!this.hasLocalSockets(userChannel(subject))) return;
        await this.delivery.watch(roomId);
        this.io.local.in(userChannel(subject)).socketsJoin(roomChannel(roomId));
        return;
      }
      case 'leave':
        this.facts.roomLists.forgetKey(subject);
        this.io.local.in(userChannel(subject)).socketsLeave(roomChannel(roomId));
        return;
      case 'disconnect-session':
        this.facts.sessions.forgetWhere((principal) => principal?.sessionId === subject);
        this.io.local.in(sessionChannel(subject)).disconnectSockets(true);
        return;
      case 'disconnect-user':
        this.facts.sessions.forgetWhere((principal) => principal?.userId === subject);
        this.facts.roomLists.forgetKey(subject);
        this.io.local.in(userChannel(subject)).disconnectSockets(true);
        return;
      case 'hide-sender':
        this.io.local.in(userChannel(subject)).socketsJoin(blockersChannel(roomId));
        return;
      case 'show-sender':
        this.io.local.in(userChannel(subject)).socketsLeave(blockersChannel(roomId));
        return;
      case 'rename-user':
        this.facts.sessions.forgetWhere((principal) => principal?.userId === subject);
        // A socket's handlers hold the principal its handshake made: renamed in place.
        for (const socket of await this.io.local.in(userChannel(subject)).fetchSockets()) socket.data.principal.displayName = roomId;
        return;
      case 'forget-speaker':
        this.facts.speakers.forget(roomId, subject === '' ? null : subject);
        return;
      case 'forget-bot-listeners':
        if (roomId === '') this.facts.botListeners.forgetPrefix('');
        else this.facts.botListeners.forgetKey(roomId);
        return;
    }
  }

  private hasLocalSockets(channel: string): boolean {
    return (this.io.of('/').adapter.rooms.get(channel)?.size ?? 0) > 0;
  }
}
