/**
 * Search (members only): one room's messages, or every room of mine, newest first. Chinese,
 * Japanese and Korean are found anywhere in the text (摄影 finds 我喜欢胶片摄影); other words by
 * their beginning, whatever the case (film finds Film). Each result says where it matched, so a
 * client can highlight the words without matching them again.
 */
import type { Message, SearchResponse, SearchResult } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { searchRoom, searchRoomsOf, type AcrossCursor } from '../store/message-search.ts';
import { formatTimeIdCursor, parseTimeIdCursor, type TimeIdCursor } from './page-cursor.ts';
import { searchQueryOf, type SearchQuery } from '../store/search-terms.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

function prepare(q: string): SearchQuery {
  const search = searchQueryOf(q);
  if (!search) throw new AppError('VALIDATION_FAILED', 'Search for at least one letter, digit or character', { field: 'querystring.q' });
  return search;
}

export async function searchRoomMessages(deps: DomainDeps, principal: Principal, roomId: string, input: { q: string; before?: number; limit?: number }): Promise<SearchResponse> {
  requireScope(principal, 'messages:read');
  await requireMembership(deps.db, principal, roomId);
  const search = prepare(input.q);
  const page = await searchRoom(deps.db, roomId, search, { before: input.before, limit: input.limit ?? 20 });
  return { results: page.messages.map((m) => resultOf(m, search.needles)), hasMore: page.hasMore };
}

export async function searchMyRooms(deps: DomainDeps, principal: Principal, input: { q: string; before?: string; limit?: number }): Promise<SearchResponse> {
  requireScope(principal, 'messages:read');
  const cursor = input.before === undefined ? undefined : toAcross(parseTimeIdCursor(input.before));
  const search = prepare(input.q);
  const page = await searchRoomsOf(deps.db, principal.userId, search, { cursor, limit: input.limit ?? 20 });
  const last = page.messages.at(-1);
  return {
    results: page.messages.map((m) => resultOf(m, search.needles)),
    hasMore: page.hasMore,
    next: page.hasMore && last ? formatTimeIdCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

const toAcross = (cursor: TimeIdCursor): AcrossCursor => ({ createdAt: cursor.at, id: cursor.id });

function resultOf(message: Message, needles: readonly string[]): SearchResult {
  return { message, highlights: highlightsOf(message.text, needles) };
}

/** Every place a needle occurs (case-insensitive), merged where they touch or overlap. */
export function highlightsOf(text: string, needles: readonly string[]): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const needle of needles) {
    const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
    for (const match of text.matchAll(pattern)) spans.push({ start: match.index, end: match.index + match[0].length });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof spans = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
