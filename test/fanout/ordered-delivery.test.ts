import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/schemas.ts';
import type { RoomEvent } from '../../server/fanout/bus.ts';
import { LocalBus } from '../../server/fanout/local-bus.ts';
import { OrderedDelivery } from '../../server/fanout/ordered-delivery.ts';
import { Metrics } from '../../server/metrics.ts';

const ROOM = '33333333-3333-4333-8333-333333333333';

function message(seq: number): Message {
  return { id: `id-${seq}`, roomId: ROOM, seq, sender: null, kind: 'text', text: `m${seq}`, replyTo: null, clientMsgId: null, mentions: [], mentionsAll: false, data: null, recalledAt: null, attachments: [], createdAt: new Date(0).toISOString() };
}
const event = (seq: number): RoomEvent => ({ roomId: ROOM, name: 'message', payload: message(seq), seq });

function setup(stored: { lastSeq: number; messages: Message[] }, metrics = new Metrics()) {
  const bus = new LocalBus(metrics.bus);
  const delivered: number[] = [];
  const delivery = new OrderedDelivery({
    bus,
    loadLastSeq: async () => stored.lastSeq,
    loadRange: async (_room, from, to) => stored.messages.filter((m) => m.seq >= from && m.seq <= to),
    emit: (e) => delivered.push(e.seq ?? -1),
    gapWaitMs: 30,
    log: pino({ level: 'silent' }),
    metrics: metrics.delivery,
  });
  return { bus, delivered, delivery, metrics };
}

/** One series' value as the gateway would export it. */
async function valueOf(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

describe('ordered delivery on one gateway', () => {
  it('holds an early message until the one before it arrives', async () => {
    const { bus, delivered, delivery } = setup({ lastSeq: 4, messages: [] });
    await delivery.watch(ROOM);
    bus.publish(event(6));
    bus.publish(event(7));
    expect(delivered).toEqual([]);
    bus.publish(event(5));
    expect(delivered).toEqual([5, 6, 7]);
    bus.publish(event(6)); // a stray second copy is not delivered twice
    expect(delivered).toEqual([5, 6, 7]);
  });

  it('reads a gap from the database when its publisher never sends it, and counts it', async () => {
    const stored = { lastSeq: 0, messages: [message(1), message(2)] };
    const { bus, delivered, delivery, metrics } = setup(stored);
    await delivery.watch(ROOM);
    bus.publish(event(3));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(delivered).toEqual([1, 2, 3]);
    bus.publish(event(2));
    expect(delivered).toEqual([1, 2, 3]);
    expect(await valueOf(metrics, 'quanzi_fanout_events_published_total')).toBe(2);
    expect(await valueOf(metrics, 'quanzi_fanout_events_delivered_total')).toBe(3);
    expect(await valueOf(metrics, 'quanzi_fanout_gap_fills_total')).toBe(1);
    expect(await valueOf(metrics, 'quanzi_fanout_gap_messages_total', { outcome: 'filled' })).toBe(2);
    expect(await valueOf(metrics, 'quanzi_fanout_gap_messages_total', { outcome: 'missing' })).toBe(0);
  });

  it('counts the messages of a gap the database does not have as missing', async () => {
    const { bus, delivered, delivery, metrics } = setup({ lastSeq: 0, messages: [] });
    await delivery.watch(ROOM);
    bus.publish(event(4));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(delivered).toEqual([4]);
    expect(await valueOf(metrics, 'quanzi_fanout_gap_fills_total')).toBe(1);
    expect(await valueOf(metrics, 'quanzi_fanout_gap_messages_total', { outcome: 'missing' })).toBe(3);
  });

  it('delivers events that were in flight when the room was first watched, once, in order', async () => {
    const stored = { lastSeq: 0, messages: [] as Message[] };
    const { bus, delivered, delivery } = setup(stored);
    const watching = delivery.watch(ROOM);
    stored.lastSeq = 2; // two messages commit while the watch is being set up
    bus.publish(event(2));
    bus.publish(event(3));
    await watching;
    bus.publish(event(1));
    bus.publish(event(1));
    expect(delivered).toEqual([2, 3, 1]);
  });

  it('ignores rooms it does not watch and stops after unwatch', async () => {
    const { bus, delivered, delivery } = setup({ lastSeq: 0, messages: [] });
    bus.publish(event(1));
    await delivery.watch(ROOM);
    bus.publish({ roomId: ROOM, name: 'typing', payload: { roomId: ROOM, user: { id: 'typist', displayName: 'Typist' } } });
    await delivery.unwatch(ROOM);
    bus.publish(event(1));
    expect(delivered).toEqual([-1]);
  });
});
