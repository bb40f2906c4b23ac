/**
 * Sending my messages: each attempt through the outbox (outbox.ts keeps the pending copy and its
 * clientMsgId, so a retry is the same message to the server), where an attempt goes in the
 * timeline (after the room's newest as this page knows it), when I last had one stored (slow
 * mode counts from it), and what a refusal opens or a later fix resends (the rules accepted).
 */
import type { QuanziClient } from '../../../sdk/index.ts';
import type { Message } from '../../../../shared/schemas.ts';
import type { AttachmentView } from '../media/attachment-view.ts';
import type { Outbox, PendingMessage } from './outbox.ts';

export interface SendingPorts {
  client: Pick<QuanziClient, 'send'>;
  outbox: Outbox;
  /** The room's newest seq as this page knows it, even if its history has not finished loading. */
  newestSeq(roomId: string): number;
  /** Writing: the typing notice ends, and the reader goes to the newest messages (the message goes there). */
  writing(roomId: string): void;
  stored(roomId: string, message: Message): void;
  /** The server wants the room's rules accepted first: they are shown. */
  rulesRefused(roomId: string): void;
  now(): number;
}

export class Sending {
  /** When this page last had a message of mine stored, per room (slow mode counts from it). */
  readonly lastSentAt = new Map<string, number>();

  constructor(private readonly ports: SendingPorts) {}

  send(roomId: string, text: string, replyTo: number | null, attachments: AttachmentView[] = []): void {
    const pending = this.ports.outbox.create(roomId, text, replyTo, attachments);
    this.ports.writing(roomId);
    void this.attempt(pending);
  }

  retry(pending: PendingMessage): void {
    void this.attempt(pending);
  }

  /** Sends again what the server refused with `code` (now resolved, e.g. the rules accepted). */
  retryRefused(roomId: string, code: string): void {
    for (const p of this.ports.outbox.of(roomId)) if (p.status === 'failed' && p.error?.code === code) void this.attempt(p);
  }

  /** One attempt; resolves once it is stored or refused (the outcome is on the pending message). */
  async attempt(pending: PendingMessage): Promise<void> {
    // A retry is sent anew: it goes back to the bottom, and stays after what is newest now.
    const stored = await this.ports.outbox.attempt(pending, this.ports.newestSeq(pending.roomId), async (p) => {
      const { message } = await this.ports.client.send(p.roomId, p.text, {
        clientMsgId: p.clientMsgId,
        ...(p.replyTo ? { replyTo: p.replyTo } : {}),
        ...(p.attachments.length > 0 ? { attachments: p.attachments.map((a) => a.id) } : {}),
      });
      return message;
    });
    if (stored) {
      this.lastSentAt.set(pending.roomId, this.ports.now());
      this.ports.stored(pending.roomId, stored);
    } else if (pending.error?.code === 'RULES_NOT_ACCEPTED') this.ports.rulesRefused(pending.roomId);
  }
}
