/**
 * Direct messages (私信): who each of my DM rooms is with, the message requests waiting for me,
 * and mine waiting for someone. A DM room is a room of kind 'dm', so its timeline, read state
 * and sending are the store's; this module adds the person, and the consent step before it.
 */
import type { Static } from 'typebox';
import { newClientMsgId, type QuanziClient } from '../../../sdk/index.ts';
import type { DmConversation, DmRequest } from '../../../../shared/people.ts';
import type { ReportReason, Room } from '../../../../shared/schemas.ts';

export type Peer = Static<typeof DmConversation>['peer'];
export type { DmRequest };

export type DmOutcome = { kind: 'sent'; roomId: string } | { kind: 'requested'; request: DmRequest };

/** What the DM module needs of the store (ChatStore has it). */
export interface DmHost {
  readonly client: QuanziClient;
  readonly me: { id: string } | null;
  touch(): void;
  /** A room I am now in (opened here or on the other side): listed, tracked, and its history loads on opening. */
  adoptRoom(room: Room): void;
}

export class DirectMessages {
  /** The other person of each DM room, by room id. */
  readonly peers = new Map<string, Peer>();
  /** Requests waiting for me, newest first. */
  requests: DmRequest[] = [];
  /** Mine, not accepted yet (an ignored one still reads 'pending': the sender is not told). */
  sent: DmRequest[] = [];

  /**
   * What happened to the requests while a load was on its way: its answer may predate a request
   * that arrived live meanwhile, or one this page has since accepted or ignored.
   */
  private readonly loading = new Set<{ arrived: Map<string, DmRequest>; gone: Set<string> }>();

  constructor(private readonly host: DmHost) {}

  private get rest() {
    return this.host.client.rest;
  }

  async load(): Promise<void> {
    const meanwhile = { arrived: new Map<string, DmRequest>(), gone: new Set<string>() };
    this.loading.add(meanwhile);
    try {
      const [list, requests] = await Promise.all([this.rest.call('GET /v1/dms'), this.rest.call('GET /v1/dms/requests')]);
      for (const { room, peer } of list.conversations) this.peers.set(room.id, peer);
      const answered = requests.requests.filter((r) => !meanwhile.gone.has(r.id) && !meanwhile.arrived.has(r.id));
      this.requests = [...meanwhile.arrived.values(), ...answered].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.sent = requests.sent;
      this.host.touch();
    } finally {
      this.loading.delete(meanwhile);
    }
  }

  private dropRequest(requestId: string): void {
    this.requests = this.requests.filter((r) => r.id !== requestId);
    for (const meanwhile of this.loading) {
      meanwhile.gone.add(requestId);
      meanwhile.arrived.delete(requestId);
    }
  }

  peerOf(roomId: string): Peer | null {
    return this.peers.get(roomId) ?? null;
  }

  roomWith(userId: string): string | null {
    for (const [roomId, peer] of this.peers) if (peer.id === userId) return roomId;
    return null;
  }

  pendingTo(userId: string): DmRequest | null {
    return this.sent.find((r) => r.recipient.id === userId && r.status === 'pending') ?? null;
  }

  /** Messages a person: into our DM room when they take messages from me, or as a message request. */
  async send(peer: Peer, text: string): Promise<DmOutcome> {
    const answer = await this.rest.call('POST /v1/dms', { body: { userId: peer.id, text, clientMsgId: newClientMsgId() } });
    if ('status' in answer) {
      this.sent = [answer.request, ...this.sent.filter((r) => r.id !== answer.request.id)];
      this.host.touch();
      return { kind: 'requested', request: answer.request };
    }
    this.opened(answer.room, peer);
    return { kind: 'sent', roomId: answer.room.id };
  }

  /** Accepting opens the conversation, with the request as its first message. */
  async accept(requestId: string): Promise<string> {
    const request = this.requests.find((r) => r.id === requestId);
    const { room } = await this.rest.call('POST /v1/dms/requests/:requestId/accept', { params: { requestId } });
    this.dropRequest(requestId);
    this.opened(room, request?.sender ?? null);
    return room.id;
  }

  async ignore(requestId: string): Promise<void> {
    await this.rest.call('POST /v1/dms/requests/:requestId/ignore', { params: { requestId } });
    this.dropRequest(requestId);
    this.host.touch();
  }

  async report(requestId: string, reason: ReportReason, note?: string): Promise<void> {
    await this.rest.call('POST /v1/dms/requests/:requestId/report', { params: { requestId }, body: { reason, ...(note ? { note } : {}) } });
    this.dropRequest(requestId);
    this.host.touch();
  }

  // ---- events ----

  onRequest(request: DmRequest): void {
    if (request.recipient.id !== this.host.me?.id) return;
    this.requests = [request, ...this.requests.filter((r) => r.id !== request.id)];
    for (const meanwhile of this.loading) meanwhile.arrived.set(request.id, request);
    this.host.touch();
  }

  /** `dm:opened`: a DM room now exists for me (I wrote first, they did, or a request was accepted). */
  onOpened(room: Room, peerIds: string[]): void {
    const peerId = peerIds.find((id) => id !== this.host.me?.id);
    const known = peerId ? this.sent.find((r) => r.recipient.id === peerId)?.recipient ?? this.requests.find((r) => r.sender.id === peerId)?.sender : undefined;
    this.opened(room, known ?? null);
    // The person's name, when this page had no request of theirs or mine to read it from.
    if (!this.peers.has(room.id)) void this.load().catch(() => {});
  }

  private opened(room: Room, peer: Peer | null): void {
    if (peer) {
      this.peers.set(room.id, peer);
      this.sent = this.sent.filter((r) => r.recipient.id !== peer.id);
      this.requests = this.requests.filter((r) => r.sender.id !== peer.id);
    }
    this.host.adoptRoom(room);
    this.host.touch();
  }
}
