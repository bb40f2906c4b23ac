/**
 * My messages not stored yet, per room: each one's attempts and outcome. Every attempt of a
 * message carries the same clientMsgId, so however often it is retried (by me, or by the SDK
 * across a reconnect) the server stores it once. Messages not sent yet — still sending, or failed
 * — are kept in the browser's storage under the signed-in user, so a reload or a closed tab does
 * not lose them: they come back as "Not sent", to retry or discard.
 *
 * No sockets and no store: the send itself is handed in, so this is tested on its own.
 */
import type { Message } from '../../../../shared/schemas.ts';
import { isQuanziError } from '../../../sdk/errors.ts';
import type { AttachmentView } from '../media/attachment-view.ts';

export type WireError = { code: string; message: string; details?: Record<string, unknown> };

export interface PendingMessage {
  clientMsgId: string;
  roomId: string;
  text: string;
  replyTo: number | null;
  /** Uploaded and ready, sent with the text (docs/protocol.md, "Attachments"). */
  attachments: AttachmentView[];
  status: 'sending' | 'failed' | 'held' | 'blocked';
  error: WireError | null;
  createdAt: string;
  /**
   * The newest stored seq in the room when this attempt started. A message still sending stays
   * at the bottom; once held, blocked or failed it keeps this place, so later messages go below it.
   */
  afterSeq: number;
}

/** The part of the Web Storage API the outbox uses (localStorage in the page, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Send = (pending: PendingMessage) => Promise<Message>;

const STORAGE_PREFIX = 'quanzi.outbox.';
/** Written-but-unsent is kept; what the server already judged (held, blocked) is its to keep. */
const KEPT: ReadonlySet<PendingMessage['status']> = new Set(['sending', 'failed']);

export function outcomeOf(error: WireError): PendingMessage['status'] {
  return error.code === 'HELD_FOR_REVIEW' ? 'held' : error.code === 'BLOCKED_BY_SAFETY' ? 'blocked' : 'failed';
}

export class Outbox {
  private readonly rooms = new Map<string, PendingMessage[]>();
  private storageKey: string | null = null;

  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly newId: () => string,
    private readonly onChange: () => void = () => {},
  ) {}

  /** Signed in as `userId`: brings back what was not sent on an earlier visit. */
  open(userId: string): void {
    this.storageKey = STORAGE_PREFIX + userId;
    for (const saved of this.read()) {
      if (this.find(saved.roomId, saved.clientMsgId)) continue;
      // An attempt cut off by the reload may or may not have been stored: it shows as not sent,
      // and a retry (same clientMsgId) either stores it or returns the stored copy.
      const restored: PendingMessage = { ...saved, status: 'failed', error: saved.status === 'failed' ? saved.error : null };
      this.list(saved.roomId).push(restored);
    }
    this.changed();
  }

  /** Signed out on purpose: nothing unsent is kept, here or in the storage. */
  clear(): void {
    if (this.storage && this.storageKey) {
      try {
        this.storage.removeItem(this.storageKey);
      } catch {
        // Refused storage held nothing either.
      }
    }
    this.storageKey = null;
    this.rooms.clear();
    this.onChange();
  }

  of(roomId: string): readonly PendingMessage[] {
    return this.rooms.get(roomId) ?? [];
  }

  find(roomId: string, clientMsgId: string): PendingMessage | undefined {
    return this.rooms.get(roomId)?.find((p) => p.clientMsgId === clientMsgId);
  }

  /** A new message, not yet attempted (then `attempt` it). */
  create(roomId: string, text: string, replyTo: number | null, attachments: AttachmentView[] = []): PendingMessage {
    const pending: PendingMessage = { clientMsgId: this.newId(), roomId, text, replyTo, attachments, status: 'sending', error: null, createdAt: new Date().toISOString(), afterSeq: 0 };
    this.list(roomId).push(pending);
    this.changed();
    return pending;
  }

  /**
   * One attempt: the message goes back to the bottom (after `afterSeq`, the room's newest now),
   * `send` is called with it, same clientMsgId as every earlier attempt. Resolves to the stored
   * message, or null when the server refused or held it (the outcome is on the pending message).
   */
  async attempt(pending: PendingMessage, afterSeq: number, send: Send): Promise<Message | null> {
    pending.status = 'sending';
    pending.error = null;
    pending.afterSeq = afterSeq;
    const list = this.list(pending.roomId);
    this.rooms.set(pending.roomId, [...list.filter((p) => p !== pending), pending]);
    this.changed();
    try {
      const message = await send(pending);
      this.remove(pending);
      return message;
    } catch (error) {
      pending.error = toWire(error);
      pending.status = outcomeOf(pending.error);
      this.changed();
      return null;
    }
  }

  discard(pending: PendingMessage): void {
    this.remove(pending);
  }

  /** My stored messages arrived (history, live, an approval): their pending copies are done. */
  settle(roomId: string, storedClientMsgIds: ReadonlySet<string>): void {
    const list = this.rooms.get(roomId);
    if (!list?.some((p) => storedClientMsgIds.has(p.clientMsgId))) return;
    this.rooms.set(
      roomId,
      list.filter((p) => !storedClientMsgIds.has(p.clientMsgId)),
    );
    this.changed();
  }

  /** A held message the staff rejected: it stays where it was, blocked. */
  rejectedInReview(roomId: string, clientMsgId: string): void {
    const pending = this.find(roomId, clientMsgId);
    if (!pending) return;
    pending.status = 'blocked';
    pending.error = { code: 'REJECTED_IN_REVIEW', message: 'Rejected in review' };
    this.changed();
  }

  private list(roomId: string): PendingMessage[] {
    let list = this.rooms.get(roomId);
    if (!list) this.rooms.set(roomId, (list = []));
    return list;
  }

  private remove(pending: PendingMessage): void {
    const list = this.rooms.get(pending.roomId);
    if (!list) return;
    this.rooms.set(
      pending.roomId,
      list.filter((p) => p !== pending),
    );
    this.changed();
  }

  private changed(): void {
    this.write();
    this.onChange();
  }

  private read(): PendingMessage[] {
    if (!this.storage || !this.storageKey) return [];
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.storageKey) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isPending) : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    if (!this.storage || !this.storageKey) return;
    const kept = [...this.rooms.values()].flat().filter((p) => KEPT.has(p.status));
    try {
      if (kept.length === 0) this.storage.removeItem(this.storageKey);
      else this.storage.setItem(this.storageKey, JSON.stringify(kept));
    } catch {
      // Storage full or refused (a private window): the page still holds them until it closes.
    }
  }
}

function toWire(error: unknown): WireError {
  return isQuanziError(error) ? error.toJSON() : { code: 'INTERNAL', message: String(error) };
}

function isPending(value: unknown): value is PendingMessage {
  const p = value as PendingMessage | null;
  return !!p && typeof p.clientMsgId === 'string' && typeof p.roomId === 'string' && typeof p.text === 'string' && Array.isArray(p.attachments);
}
