/**
 * The web client's outbox (client/web/src/state/outbox.ts): my messages until the server stores
 * them. Every attempt of one message carries the same clientMsgId; unsent ones survive a reload.
 */
import { describe, expect, it } from 'vitest';
import { QuanziError } from '../../client/sdk/errors.ts';
import { Outbox, type KeyValueStorage, type PendingMessage } from '../../client/web/src/state/outbox.ts';
import type { Message } from '../../shared/schemas.ts';

const ROOM = '7a1f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';
const OTHER_ROOM = '8b1f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';
const ME = '0b5f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

function ids() {
  let n = 0;
  return () => `cmid-${++n}`;
}

function stored(pending: PendingMessage, seq: number): Message {
  return { seq, roomId: pending.roomId, clientMsgId: pending.clientMsgId, text: pending.text } as Message;
}

const refused = (code: string) => Promise.reject(new QuanziError(code, code));

describe('outbox', () => {
  it('sends every attempt of a message with the same clientMsgId, and forgets it once stored', async () => {
    const outbox = new Outbox(null, ids());
    const sent: string[] = [];
    const pending = outbox.create(ROOM, 'hello', null);
    expect(await outbox.attempt(pending, 4, (p) => (sent.push(p.clientMsgId), refused('NETWORK')))).toBeNull();
    expect(pending.status).toBe('failed');
    expect(pending.error?.code).toBe('NETWORK');
    const message = await outbox.attempt(pending, 7, (p) => (sent.push(p.clientMsgId), Promise.resolve(stored(p, 8))));
    expect(sent).toEqual(['cmid-1', 'cmid-1']);
    expect(message?.seq).toBe(8);
    expect(outbox.of(ROOM)).toEqual([]);
  });

  it('says what the server decided: held for review, blocked by the rules, or not sent', async () => {
    const outbox = new Outbox(null, ids());
    const held = outbox.create(ROOM, 'a', null);
    const blocked = outbox.create(ROOM, 'b', null);
    const failed = outbox.create(ROOM, 'c', null);
    await outbox.attempt(held, 0, () => refused('HELD_FOR_REVIEW'));
    await outbox.attempt(blocked, 0, () => refused('BLOCKED_BY_SAFETY'));
    await outbox.attempt(failed, 0, () => Promise.reject(new Error('socket closed')));
    expect(outbox.of(ROOM).map((p) => [p.text, p.status])).toEqual([
      ['a', 'held'],
      ['b', 'blocked'],
      ['c', 'failed'],
    ]);
    expect(failed.error).toEqual({ code: 'INTERNAL', message: 'Error: socket closed' });
    outbox.rejectedInReview(ROOM, held.clientMsgId);
    expect(held.status).toBe('blocked');
    expect(held.error?.code).toBe('REJECTED_IN_REVIEW');
  });

  it('moves a retried message to the bottom, after the room’s newest message now', async () => {
    const outbox = new Outbox(null, ids());
    const first = outbox.create(ROOM, 'first', null);
    await outbox.attempt(first, 2, () => refused('NETWORK'));
    const second = outbox.create(ROOM, 'second', null);
    let during: string[] = [];
    await outbox.attempt(first, 9, () => {
      during = outbox.of(ROOM).map((p) => `${p.text}:${p.status}:${p.afterSeq}`);
      return refused('NETWORK');
    });
    expect(during).toEqual(['second:sending:0', 'first:sending:9']);
    expect(second.status).toBe('sending');
  });

  it('settles the pending copies of messages that arrived stored by another way (history, an approval)', () => {
    const outbox = new Outbox(null, ids());
    const a = outbox.create(ROOM, 'a', null);
    outbox.create(ROOM, 'b', null);
    outbox.settle(ROOM, new Set([a.clientMsgId]));
    expect(outbox.of(ROOM).map((p) => p.text)).toEqual(['b']);
  });

  it('keeps unsent messages in storage, per user, and brings them back after a reload as not sent', async () => {
    const storage = new MemoryStorage();
    const before = new Outbox(storage, ids());
    before.open(ME);
    const failed = before.create(ROOM, 'on the train', 3, []);
    await before.attempt(failed, 5, () => refused('NETWORK'));
    before.create(OTHER_ROOM, 'still sending when the tab closed', null);
    const held = before.create(ROOM, 'held one', null);
    await before.attempt(held, 5, () => refused('HELD_FOR_REVIEW'));

    const after = new Outbox(storage, () => 'unused');
    after.open(ME);
    expect(after.of(ROOM).map((p) => [p.text, p.status, p.replyTo, p.clientMsgId])).toEqual([['on the train', 'failed', 3, failed.clientMsgId]]);
    expect(after.of(ROOM)[0]?.error?.code).toBe('NETWORK');
    // Cut off mid-send: it may or may not be stored, so it is offered for a retry (same clientMsgId).
    expect(after.of(OTHER_ROOM).map((p) => [p.text, p.status, p.error])).toEqual([['still sending when the tab closed', 'failed', null]]);

    const someoneElse = new Outbox(storage, ids());
    someoneElse.open('2c5f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11');
    expect(someoneElse.of(ROOM)).toEqual([]);
  });

  it('removes a message from storage once sent or discarded, and everything on sign-out', async () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, ids());
    outbox.open(ME);
    const a = outbox.create(ROOM, 'a', null);
    const b = outbox.create(ROOM, 'b', null);
    await outbox.attempt(a, 0, (p) => Promise.resolve(stored(p, 1)));
    expect(JSON.parse(storage.getItem(`quanzi.outbox.${ME}`)!).map((p: PendingMessage) => p.text)).toEqual(['b']);
    outbox.discard(b);
    expect(storage.items.size).toBe(0);
    outbox.create(ROOM, 'c', null);
    expect(storage.items.size).toBe(1);
    outbox.clear();
    expect(storage.items.size).toBe(0);
    expect(outbox.of(ROOM)).toEqual([]);
  });

  it('survives storage that refuses or holds garbage', () => {
    const broken: KeyValueStorage = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const outbox = new Outbox(broken, ids());
    outbox.open(ME);
    expect(() => outbox.create(ROOM, 'a', null)).not.toThrow();
    expect(outbox.of(ROOM)).toHaveLength(1);
  });
});
