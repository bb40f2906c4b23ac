/**
 * Search (members only): one room's messages, or every room of mine, newest first. Chinese,
 * Japanese and Korean are found anywhere in the text (摄影 finds 我喜欢胶片摄影); other words by
 * their beginning, whatever the case (film finds Film). Each result says where it matched, so a
 * client can highlight the words without matching them again.
 */
import type { Message, SearchResponse, SearchResult } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { searchQueryOf, searchRoom, searchRoomsOf, type AcrossCursor } from '../store/message-search.ts';
import { requireScope } from './bots.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';

/**
 * What separates words, as migration 0011's message_search_terms has it (keep the two alike):
 * whitespace, ASCII punctuation and symbols, Latin-1 punctuation, general and CJK punctuation,
 * full-width punctuation.
 */
const SEPARATORS = /[\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/u;
/** Needles checked in the text; more words than this narrow nothing a person would notice. */
const MAX_NEEDLES = 8;

interface PreparedSearch {
  query: string;
  needles: string[];
}

async function prepare(deps: DomainDeps, q: string): Promise<PreparedSearch | null> {
  const needles = [...new Set(q.split(SEPARATORS).filter((n) => n !== '').map((n) => n.toLowerCase()))].slice(0, MAX_NEEDLES);
  if (needles.length === 0) throw new AppError('VALIDATION_FAILED', 'Search for at least one letter, digit or character', { field: 'querystring.q' });
  const query = await searchQueryOf(deps.db, needles.join(' '));
  return query === '' ? null : { query, needles };
}

export async function searchRoomMessages(deps: DomainDeps, principal: Principal, roomId: string, input: { q: string; before?: number; limit?: number }): Promise<SearchResponse> {
  requireScope(principal, 'messages:read');
  await requireMembership(deps.db, principal, roomId);
  const search = await prepare(deps, input.q);
  if (!search) return { results: [], hasMore: false };
  const page = await searchRoom(deps.db, roomId, search, { before: input.before, limit: input.limit ?? 20 });
  return { results: page.messages.map((m) => resultOf(m, search.needles)), hasMore: page.hasMore };
}

export async function searchMyRooms(deps: DomainDeps, principal: Principal, input: { q: string; before?: string; limit?: number }): Promise<SearchResponse> {
  requireScope(principal, 'messages:read');
  const cursor = input.before === undefined ? undefined : parseCursor(input.before);
  const search = await prepare(deps, input.q);
  if (!search) return { results: [], hasMore: false, next: null };
  const page = await searchRoomsOf(deps.db, principal.userId, search, { cursor, limit: input.limit ?? 20 });
  const last = page.messages.at(-1);
  return {
    results: page.messages.map((m) => resultOf(m, search.needles)),
    hasMore: page.hasMore,
    next: page.hasMore && last ? formatCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

function formatCursor(cursor: AcrossCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

function parseCursor(text: string): AcrossCursor {
  const [createdAt, id] = Buffer.from(text, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'before must be the `next` value of a previous page', { field: 'querystring.before' });
  }
  return { createdAt, id };
}

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
