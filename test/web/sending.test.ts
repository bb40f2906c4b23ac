/**
 * Sending my messages (client/web/src/state/sending.ts): every attempt of one message carries its
 * one clientMsgId and goes after the room's newest, a stored one starts slow mode's clock, a
 * refusal for the rules opens them, and accepting them sends again only what they refused.
 */
import { describe, expect, it } from 'vitest';
import { QuanziError } from '../../client/sdk/index.ts';
import { Outbox } from '../../client/web/src/state/outbox.ts';
import { Sending } from '../../client/web/src/state/sending.ts';
import type { Message } from '../../shared/schemas.ts';
import { message, ROOM } from './state-fixtures.ts';

type Sent = { roomId: string; text: string; clientMsgId?: string; replyTo?: number; attachments?: string[] };

function sending(answers: Array<Error | Message>, newest = 10) {
  const sent: Sent[] = [];
  const stored: Message[] = [];
  const events: string[] = [];
  let ids = 0;
  const outbox = new Outbox(null, () => `c${++ids}`);
  const s = new Sending({
    client: {
      send: async (roomId: string, text: string, options: Omit<Sent, 'roomId' | 'text'> = {}) => {
        sent.push({ roomId, text, ...options });
        const answer = answers.shift() ?? message(99);
        if (answer instanceof Error) throw answer;
        return { message: answer };
      },
    } as never,
    outbox,
    newestSeq: () => newest,
    writing: (roomId) => void events.push(`writing ${roomId}`),
    stored: (_roomId, m) => void stored.push(m),
    rulesRefused: (roomId) => void events.push(`rules ${roomId}`),
    now: () => 1_000,
  });
  return { s, outbox, sent, stored, events };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('sending', () => {
  it('a retry is the same message: the same clientMsgId, after what is newest at the time', async () => {
    const { s, outbox, sent, stored } = sending([new QuanziError('RATE_LIMITED', 'slow down'), message(12)]);
    s.send(ROOM, 'hello', 4);
    await settled();
    const [failed] = outbox.of(ROOM);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED' }, afterSeq: 10 });
    s.retry(failed!);
    await settled();
    expect(sent.map((p) => [p.clientMsgId, p.replyTo])).toEqual([
      ['c1', 4],
      ['c1', 4],
    ]);
    expect(stored.map((m) => m.seq)).toEqual([12]);
    expect(outbox.of(ROOM)).toEqual([]);
    expect(s.lastSentAt.get(ROOM)).toBe(1_000);
  });

  it('writing goes to the newest first, and attachments travel by id; a reply only when there is one', async () => {
    const { s, sent, events } = sending([]);
    s.send(ROOM, 'look', null, [{ id: 'att-1' } as never]);
    await settled();
    expect(events).toEqual([`writing ${ROOM}`]);
    expect(sent).toEqual([{ roomId: ROOM, text: 'look', clientMsgId: 'c1', attachments: ['att-1'] }]);
  });

  it('refused for the rules: they are shown, nothing is stored, and no slow-mode clock starts', async () => {
    const { s, stored, events } = sending([new QuanziError('RULES_NOT_ACCEPTED', 'accept the rules')]);
    s.send(ROOM, 'hi', null);
    await settled();
    expect(events).toEqual([`writing ${ROOM}`, `rules ${ROOM}`]);
    expect(stored).toEqual([]);
    expect(s.lastSentAt.has(ROOM)).toBe(false);
  });

  it('accepting the rules sends again what they refused, not what failed for another reason or was blocked', async () => {
    const { s, outbox, sent } = sending([new QuanziError('RULES_NOT_ACCEPTED', 'rules'), new QuanziError('MUTED', 'muted'), new QuanziError('BLOCKED_BY_SAFETY', 'no'), message(20)]);
    s.send(ROOM, 'one', null);
    await settled();
    s.send(ROOM, 'two', null);
    await settled();
    s.send(ROOM, 'three', null);
    await settled();
    s.retryRefused(ROOM, 'RULES_NOT_ACCEPTED');
    await settled();
    expect(sent.map((p) => p.text)).toEqual(['one', 'two', 'three', 'one']);
    expect(outbox.of(ROOM).map((p) => [p.text, p.status])).toEqual([
      ['two', 'failed'],
      ['three', 'blocked'],
    ]);
  });
});
