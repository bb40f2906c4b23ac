/**
 * Outgoing events: what is queued for a bot when something happens in its rooms (what it
 * registers is in bot-endpoints.ts). Queuing happens after a message is stored and never waits on
 * the receiver: the worker in server/bots/delivery-worker.ts sends the queue.
 */
import { randomUUID } from 'node:crypto';
import type { BotEventEnvelope, BotEventName, Message } from '../../shared/schemas.ts';
import { eventReceiversInRoom } from '../store/bots.ts';
import { insertDeliveries, type NewDelivery } from '../store/bot-deliveries.ts';
import type { DomainDeps } from './deps.ts';
import type { BotEventSink } from './live.ts';

/** `/remind Saturday 10:00 meetup` → { name: 'remind', args: 'Saturday 10:00 meetup' }; `/cmd@botname` also works. */
export function parseSlashCommand(text: string): { name: string; args: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return match ? { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() } : null;
}

/**
 * Most rooms have no bot listening, and asking the database on every message to find that out
 * would double the message path's queries. So each gateway remembers, per room, whether any bot
 * receives events there (`DomainDeps.botListeners`, see fact-cache.ts); whatever changes that
 * calls LiveUpdates.forgetBotListeners after the change and before it is acknowledged.
 */
async function mayHaveReceivers(deps: Pick<DomainDeps, 'db' | 'botListeners'>, roomId: string): Promise<boolean> {
  const { value } = await deps.botListeners.lookup(roomId, async () => (await eventReceiversInRoom(deps.db, roomId, null)).length > 0);
  return value;
}

/** Decides which bots get which event for a stored message. */
export async function eventsForMessage(deps: Pick<DomainDeps, 'db' | 'botListeners'>, message: Message): Promise<NewDelivery[]> {
  if (!(await mayHaveReceivers(deps, message.roomId))) return [];
  const createdAt = new Date().toISOString();
  const envelope = (botId: string, event: BotEventName, extra: Partial<BotEventEnvelope>): NewDelivery => {
    const id = randomUUID();
    const payload: BotEventEnvelope = { id, event, botId, roomId: message.roomId, createdAt, ...extra };
    return { id, botId, roomId: message.roomId, event, payload };
  };

  if (message.kind === 'system') {
    const joined = message.data?.event === 'member.joined' ? message.data : null;
    if (!joined) return [];
    const receivers = await eventReceiversInRoom(deps.db, message.roomId, null);
    return receivers
      .filter((r) => r.events.includes('member.joined') && r.botId !== joined.userId)
      .map((r) => envelope(r.botId, 'member.joined', { user: { id: joined.userId, displayName: joined.displayName } }));
  }

  const sender = message.sender;
  if (!sender) return [];
  // A bot's own posts never come back to it, and bots do not hear other bots' chatter either:
  // two bots answering each other would loop forever.
  if (sender.kind === 'bot') return [];
  const command = parseSlashCommand(message.text);
  const receivers = await eventReceiversInRoom(deps.db, message.roomId, command?.name ?? null);
  const out: NewDelivery[] = [];
  for (const r of receivers) {
    if (r.botId === sender.id) continue;
    if (command && r.handlesCommand) out.push(envelope(r.botId, 'command', { message, command }));
    else if (r.events.includes('mention') && message.mentions.includes(r.botId)) out.push(envelope(r.botId, 'mention', { message }));
    else if (r.events.includes('message')) out.push(envelope(r.botId, 'message', { message }));
  }
  return out;
}

/**
 * Queues events for stored messages off the message path: the send has already been
 * acknowledged when the insert runs. `flush` lets shutdown wait for queued inserts.
 */
export class BotEventQueue implements BotEventSink {
  private readonly pending = new Set<Promise<void>>();
  constructor(
    private readonly deps: Pick<DomainDeps, 'db' | 'log' | 'botListeners'>,
    private readonly onQueued: () => void,
  ) {}

  messageStored(message: Message): void {
    const work = eventsForMessage(this.deps, message)
      .then(async (rows) => {
        if (rows.length === 0) return;
        await insertDeliveries(this.deps.db, rows);
        this.onQueued();
      })
      .catch((error: unknown) => this.deps.log.error({ err: error, roomId: message.roomId, seq: message.seq }, 'queuing bot events failed'));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
