/**
 * Group commit for messages. One batch is stored at a time, and batches start at most once per
 * commit window: sends that arrive meanwhile wait and go together in the next one, so under load
 * one statement (one commit) stores many messages, and each message still resolves only after the
 * statement that stored it has committed. A send after a quiet spell goes at once.
 */
import type { Message } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import type { RawQuery } from './db.ts';
import { insertMessageBatch, type MessageDraft } from './messages.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

/** The (sender, clientMsgId) key is already stored: the caller should return the original. */
export class DuplicateClientMsgIdError extends Error {
  override name = 'DuplicateClientMsgIdError';
}

/**
 * An attachment of the draft was claimed by another message (or stopped being sendable) between
 * the sender's checks and the insert: nothing was stored.
 */
export class AttachmentUnavailableError extends Error {
  override name = 'AttachmentUnavailableError';
}

/** What the writer reports to the operator's metrics (server/metrics.ts). */
export interface WriterMetrics {
  messageStored(kind: Message['kind']): void;
  /** One statement stored `size` messages and committed in `seconds`. */
  batchCommitted(size: number, seconds: number): void;
}

interface Pending {
  draft: MessageDraft;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
}

export class MessageWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  /** When the last batch started (performance.now()), for the commit window. */
  private lastStart = -Infinity;

  constructor(
    private readonly raw: RawQuery,
    private readonly options: {
      commitWindowMs: number;
      /** Other writers share the database (see append_messages): lock rooms in id order first. */
      lockRoomsInOrder: boolean;
      maxBatch?: number;
      metrics?: WriterMetrics;
    },
  ) {}

  write(draft: MessageDraft): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      this.queue.push({ draft, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        this.idle = new Promise((done) => (this.markIdle = done));
        void this.flushLoop();
      }
    });
  }

  /** A message stored in an action's own transaction (insertMessageIn) counts in the metrics as the writer's do. */
  storedElsewhere(kind: Message['kind']): void {
    this.options.metrics?.messageStored(kind);
  }

  /** Resolves once everything queued so far is committed (or failed). */
  drained(): Promise<void> {
    return this.idle;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.nextWindow();
        this.lastStart = performance.now();
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        await this.commit(batch);
      }
    } finally {
      this.flushing = false;
      this.markIdle();
    }
  }

  /**
   * Waits until the commit window since the last batch has passed, and at least until the event
   * loop has read its sockets: the embedded database runs on this thread, so packets that came
   * in during a batch are only read between batches, and every send among them joins the next.
   */
  private nextWindow(): Promise<void> {
    const wait = this.lastStart + this.options.commitWindowMs - performance.now();
    return new Promise<void>((resume) => (wait >= 1 ? setTimeout(resume, wait) : setImmediate(resume)));
  }

  private async commit(batch: Pending[]): Promise<void> {
    const [unique, repeats] = splitRepeatedKeys(batch);
    const metrics = this.options.metrics;
    try {
      const started = performance.now();
      const stored = await insertMessageBatch(
        this.raw,
        unique.map((p) => p.draft),
        { lockRoomsInOrder: this.options.lockRoomsInOrder },
      );
      metrics?.batchCommitted(unique.length, (performance.now() - started) / 1000);
      unique.forEach((pending, i) => {
        const message = stored[i];
        if (message) {
          metrics?.messageStored(message.kind);
          pending.resolve(message);
        } else pending.reject(new AppError('ROOM_NOT_FOUND'));
      });
    } catch (error) {
      if (unique.length === 1) {
        unique[0]!.reject(isClientMsgIdConflict(error) ? new DuplicateClientMsgIdError() : isAttachmentClaimFailure(error) ? new AttachmentUnavailableError() : error);
      } else if (isDatabaseUnavailable(error)) {
        // The database is away, not one draft bad: one by one would only fail each in turn, slowly.
        // Whether the statement committed before the connection dropped is unknown; a retry with
        // the same clientMsgId finds out (the original, or a fresh store).
        for (const pending of unique) pending.reject(error);
      } else {
        // One bad draft (usually a key another gateway stored a moment ago) must not fail
        // the others: retry them one by one so each gets its own outcome.
        for (const pending of unique) await this.commit([pending]);
      }
    }
    // A repeat of a key inside the same batch is the same send retried: it gets the original.
    for (const pending of repeats) pending.reject(new DuplicateClientMsgIdError());
  }
}

function splitRepeatedKeys(batch: Pending[]): [Pending[], Pending[]] {
  const seen = new Set<string>();
  const unique: Pending[] = [];
  const repeats: Pending[] = [];
  for (const pending of batch) {
    const { sender, clientMsgId } = pending.draft;
    const key = sender && clientMsgId !== null ? `${sender.id}\u0000${clientMsgId}` : null;
    if (key && seen.has(key)) repeats.push(pending);
    else {
      if (key) seen.add(key);
      unique.push(pending);
    }
  }
  return [unique, repeats];
}

/** SQLSTATE raised by append_messages (migration 0006) when an attachment cannot be claimed. */
export function isAttachmentClaimFailure(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === 'QA001') return true;
  return false;
}

function isClientMsgIdConflict(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) {
    if (e.code === '23505' && String(e.constraint_name ?? e.constraint ?? e.message ?? '').includes('messages_sender_client_msg_key')) return true;
    if (e.code === '23505' && String(e.detail ?? '').includes('client_msg_id')) return true;
  }
  return false;
}
