/** The timeline cards of community items (接龙, polls, meetups): messages whose data is the item. */
import { and, eq } from 'drizzle-orm';
import { messages } from '../../drizzle/schema.ts';
import type { CommunityCard } from '../../shared/community.ts';
import type { Executor } from './db.ts';

/**
 * Keeps the card's data the item as it is now, in the same transaction as the change, so history
 * read later shows the current list, tally or head count (the change feed tells live clients).
 * Nothing happens while the card is not yet stored (it is written just after the item's commit).
 */
export async function updateCardData(tx: Executor, messageId: string, data: CommunityCard): Promise<void> {
  await tx
    .update(messages)
    .set({ data })
    .where(and(eq(messages.id, messageId), eq(messages.kind, data.event)));
}
