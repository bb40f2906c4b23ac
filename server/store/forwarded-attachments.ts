/**
 * A forwarded message carries its attachments: each becomes a new upload of the forwarder in the
 * destination room, naming the same stored bytes (storage is content-addressed), so who may fetch
 * it follows the destination's membership and removing one copy leaves the other's bytes alone.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { attachments } from '../../drizzle/schema.ts';
import type { Executor } from './db.ts';
import { lockMediaKeysForUse, mediaKeysOf } from './attachments.ts';

/**
 * Copies the live, ready attachments `ids` of message `seq` into `toRoomId` as unsent uploads of
 * `uploaderId`; returns the copies' ids in the order given (an attachment gone meanwhile is left
 * out). Every column is copied but those saying where, by whom and what became of it, so columns
 * added later travel too.
 */
export async function copyAttachmentsForForward(
  tx: Executor,
  from: { roomId: string; seq: number; ids: readonly string[] },
  to: { roomId: string; uploaderId: string },
): Promise<string[]> {
  if (from.ids.length === 0) return [];
  const rows = await tx
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, [...from.ids]), eq(attachments.roomId, from.roomId), eq(attachments.seq, from.seq), eq(attachments.status, 'ready'), isNull(attachments.removedAt), isNull(attachments.recalledAt)));
  if (rows.length === 0) return [];
  // Held shared until commit: a sweep deleting the same bytes waits, then finds the copies live.
  await lockMediaKeysForUse(tx, rows.flatMap(mediaKeysOf));
  const order = new Map(from.ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const copies: string[] = [];
  for (const row of rows) {
    const result = await tx.execute<{ id: string }>(sql`insert into ${attachments}
      select (jsonb_populate_record(null::attachments, to_jsonb(a) || jsonb_build_object(
        'id', gen_random_uuid(), 'room_id', ${to.roomId}::uuid, 'uploader_id', ${to.uploaderId}::uuid, 'seq', null, 'created_at', now(),
        'recalled_at', null, 'removed_at', null, 'released_at', null, 'decided_by', null, 'decided_at', null))).*
      from ${attachments} a where a.id = ${row.id}
      returning id`);
    const inserted = Array.isArray(result) ? result : (result as unknown as { rows: Array<{ id: string }> }).rows;
    copies.push(inserted[0]!.id);
  }
  return copies;
}
