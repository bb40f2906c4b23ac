/**
 * Sends queued bot events. Every gateway runs one worker; each tick claims due deliveries with
 * `FOR UPDATE SKIP LOCKED` (server/store/bot-deliveries.ts), so a delivery goes out from one
 * gateway only. A failed attempt is retried with exponential backoff (base × 4ⁿ) up to
 * BOT_DELIVERY_MAX_ATTEMPTS; an endpoint failing BOT_PAUSE_AFTER_FAILURES times in a row is
 * paused until its owner resumes it. A receiver may answer `{ text }` to reply in the room
 * (how a slash command gets its synchronous answer).
 */
import { randomUUID } from 'node:crypto';
import { MAX_TEXT_LENGTH, type BotEventEnvelope } from '../../shared/schemas.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { Principal } from '../domain/principal.ts';
import { sendMessage } from '../domain/send-message.ts';
import { storableText } from '../domain/storable-text.ts';
import { isAppError } from '../errors.ts';
import { recordEndpointFailure, recordEndpointSuccess } from '../store/bots.ts';
import { claimDueDeliveries, markDelivered, markFailedAttempt, recordAttempt, type ClaimedDelivery } from '../store/bot-deliveries.ts';
import { findUserById } from '../store/users.ts';
import { postJson } from './outbound.ts';
import { DELIVERY_HEADER, EVENT_HEADER, signDelivery, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing.ts';

const BATCH = 20;
/** A reply body larger than this is not read (a reply is one chat message). */
const MAX_REPLY_BYTES = 64 * 1024;

export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: DomainDeps) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.deps.config.botDeliveryTickMs);
    this.timer.unref();
  }

  /** Runs a tick now (or right after the current one): called when this gateway queued events. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (let round = 0; round < 10 && !this.stopped; round++) {
        const claimMs = this.deps.config.botDeliveryTimeoutMs + 30_000;
        const claimed = await claimDueDeliveries(this.deps.db, BATCH, claimMs);
        if (claimed.length === 0) return;
        await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
      }
    } catch (error) {
      this.deps.log.error({ err: error }, 'bot delivery tick failed; will retry');
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { config, db, log } = this.deps;
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let replyText: string | null = null;
    try {
      const response = await postJson(delivery.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Quanzi-Bots/1',
          [EVENT_HEADER]: delivery.event,
          [DELIVERY_HEADER]: delivery.id,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signDelivery(delivery.secret, timestamp, body),
        },
        body,
        timeoutMs: config.botDeliveryTimeoutMs,
        maxResponseBytes: MAX_REPLY_BYTES,
        allowLoopback: config.botWebhookAllowLoopbackHttp,
      });
      statusCode = response.status;
      if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
      else replyText = replyOf(response.body);
    } catch (caught) {
      error = (caught as Error).name === 'TimeoutError' ? `timed out after ${config.botDeliveryTimeoutMs} ms` : `request failed: ${(caught as Error).message}`;
    }
    const durationMs = Date.now() - started;
    await recordAttempt(db, { id: randomUUID(), deliveryId: delivery.id, attempt: delivery.attempts, statusCode, error, durationMs });

    if (error === null) {
      this.deps.metrics.botDelivery('delivered');
      await markDelivered(db, delivery.id);
      await recordEndpointSuccess(db, delivery.botId);
      if (replyText) await this.postReply(delivery, replyText);
      return;
    }
    const retry = delivery.attempts < config.botDeliveryMaxAttempts;
    this.deps.metrics.botDelivery(retry ? 'retry_scheduled' : 'gave_up');
    const retryAt = retry ? new Date(Date.now() + config.botDeliveryRetryBaseMs * 4 ** (delivery.attempts - 1)) : null;
    await markFailedAttempt(db, delivery.id, error, retryAt);
    const { paused } = await recordEndpointFailure(db, delivery.botId, config.botPauseAfterFailures);
    log.warn({ botId: delivery.botId, deliveryId: delivery.id, attempt: delivery.attempts, error, paused }, 'bot delivery failed');
  }

  /** The receiver's `{ text }` answer, posted by the bot through the normal pipeline. */
  private async postReply(delivery: ClaimedDelivery, text: string): Promise<void> {
    const payload = delivery.payload as BotEventEnvelope;
    if (!payload.roomId || !['message', 'mention', 'command'].includes(payload.event)) return;
    const user = await findUserById(this.deps.db, delivery.botId);
    if (!user) return;
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: 'bot',
      sessionId: delivery.id,
      bot: { tokenId: `delivery:${delivery.id}`, scopes: ['messages:write'] },
    };
    try {
      // The delivery id names the reply, so a redelivery (claim expired mid-reply) cannot post twice.
      await sendMessage(this.deps, principal, {
        roomId: payload.roomId,
        text: storableText(text, MAX_TEXT_LENGTH),
        clientMsgId: `reply:${delivery.id}`,
        replyTo: payload.event === 'command' ? payload.message?.seq : undefined,
      });
    } catch (error) {
      this.deps.log.warn({ botId: delivery.botId, deliveryId: delivery.id, code: isAppError(error) ? error.code : undefined, err: isAppError(error) ? undefined : error }, 'bot reply was not posted');
    }
  }
}

function replyOf(body: string): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { text?: unknown }).text === 'string') {
      const text = (parsed as { text: string }).text;
      return text.trim() === '' ? null : text;
    }
  } catch {
    // Not JSON: an acknowledgement without a reply.
  }
  return null;
}
