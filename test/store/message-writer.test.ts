import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/store/db.ts';
import { DuplicateClientMsgIdError, MessageWriter } from '../../server/store/message-writer.ts';
import type { MessageDraft } from '../../server/store/messages.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';

// The writer on whichever database the suite runs against: what it reports when the database
// refuses a row must not depend on the driver (a duplicate key is a retry, not a failure).
describe('message writer', () => {
  let database: DatabaseHandle;
  let realDatabase: TestDatabase | null = null;
  let writer: MessageWriter;
  const sender = { id: randomUUID(), displayName: 'Writer test', kind: 'user' };
  const roomId = randomUUID();

  beforeAll(async () => {
    realDatabase = TEST_DATABASE_URL ? await createTestDatabase() : null;
    database = await openDatabase({ databaseUrl: realDatabase?.url ?? null, dataDir: 'memory://' });
    await database.raw(`insert into users (id, username, display_name) values ($1, $2, $3)`, [sender.id, `writer-${sender.id}`, sender.displayName]);
    await database.raw(`insert into rooms (id, name, owner_id) values ($1, 'Writer room', $2)`, [roomId, sender.id]);
    writer = new MessageWriter(database.raw, { commitWindowMs: 0, lockRoomsInOrder: database.kind === 'postgres' });
  });
  afterAll(async () => {
    await database?.close();
    await realDatabase?.drop();
  });

  const draft = (clientMsgId: string, text: string): MessageDraft => ({
    id: randomUUID(),
    roomId,
    sender,
    clientMsgId,
    kind: 'text',
    text,
    replyTo: null,
    createdAt: new Date(),
  });

  it('numbers messages in order, and reports a key an earlier batch stored as a duplicate', async () => {
    const first = await writer.write(draft('same-key', 'first'));
    const second = await writer.write(draft('other-key', 'second'));
    expect(second.seq).toBe(first.seq + 1);
    await expect(writer.write(draft('same-key', 'first, sent again'))).rejects.toBeInstanceOf(DuplicateClientMsgIdError);
    // Nothing was stored for the refused row, and the counter did not move.
    expect((await writer.write(draft('third-key', 'third'))).seq).toBe(second.seq + 1);
  });

  it('stores the rest of a batch when one of its rows is a duplicate', async () => {
    const stored = await writer.write(draft('batch-dup', 'original'));
    const outcomes = await Promise.allSettled([
      writer.write(draft('batch-a', 'a')),
      writer.write(draft('batch-dup', 'again')),
      writer.write(draft('batch-b', 'b')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateClientMsgIdError);
    const seqs = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.seq] : []));
    expect(seqs).toEqual([stored.seq + 1, stored.seq + 2]);
  });
});
