/**
 * Message search (docs/protocol.md, "Search"): one room's messages or every room I am in, newest
 * first, paged with "more". The server marks what matched (`highlights`); `highlightParts` cuts a
 * text at those spans for display. One search per page, kept while the reader moves between
 * rooms (a result in another room opens that room, and the results are still there on return).
 */
import type { Message, SearchResponse, SearchResult } from '../../../../shared/schemas.ts';
import type { WireError } from './outbox.ts';

/** Mirrors shared/schemas.ts MAX_SEARCH_QUERY_LENGTH (the bundle takes only types from there). */
export const MAX_SEARCH_QUERY_LENGTH = 100;
const PAGE = 20;

export type SearchScope = 'room' | 'all';

export interface SearchPorts {
  searchRoom(roomId: string, query: { q: string; before?: number; limit?: number }): Promise<SearchResponse>;
  search(query: { q: string; before?: string; limit?: number }): Promise<SearchResponse>;
  toWireError(error: unknown): WireError;
}

/** A piece of a message's text: matched (`hit`) or not. */
export interface TextPart {
  text: string;
  hit: boolean;
}

/**
 * Cuts `text` at the matched spans ([start, end) in UTF-16 code units, in order, not
 * overlapping). Spans out of range or out of order, from a server newer or older than this
 * page, are clamped or skipped rather than trusted.
 */
export function highlightParts(text: string, highlights: ReadonlyArray<{ start: number; end: number }>): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const span of highlights) {
    const start = Math.max(at, Math.min(span.start, text.length));
    const end = Math.min(Math.max(span.end, start), text.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), hit: false });
    parts.push({ text: text.slice(start, end), hit: true });
    at = end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), hit: false });
  return parts;
}

/**
 * A long message's matched part, not its beginning: text before the first match is cut to
 * about `context` characters (with an ellipsis), so the match shows in a one-line result.
 */
export function excerpt(text: string, highlights: ReadonlyArray<{ start: number; end: number }>, context = 24): { text: string; highlights: Array<{ start: number; end: number }> } {
  const first = highlights[0]?.start ?? 0;
  if (first <= context) return { text, highlights: [...highlights] };
  const cut = first - context;
  return { text: `…${text.slice(cut)}`, highlights: highlights.map((h) => ({ start: h.start - cut + 1, end: h.end - cut + 1 })) };
}

export class MessageSearch {
  query = '';
  scope: SearchScope = 'room';
  /** The room searched (scope 'room'), or the room the search was started from. */
  roomId: string | null = null;
  results: SearchResult[] = [];
  hasMore = false;
  loading = false;
  /** A search has been answered for the current query (an empty list then means "nothing found"). */
  searched = false;
  error: WireError | null = null;
  private next: string | null = null;
  /** Each search bumps it, so an answer to an older query (typed over) is dropped. */
  private generation = 0;
  private listeners = new Set<() => void>();

  constructor(private readonly ports: SearchPorts) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Starts a new search (empty `q` clears the results). */
  async run(q: string, scope: SearchScope, roomId: string | null): Promise<void> {
    this.query = q;
    this.scope = scope;
    this.roomId = roomId;
    this.results = [];
    this.hasMore = false;
    this.next = null;
    this.error = null;
    this.searched = false;
    const generation = ++this.generation;
    // A query of separators only is refused by the server; it finds nothing either way.
    if (!/[\p{L}\p{N}]/u.test(q)) {
      this.loading = false;
      return this.changed();
    }
    await this.load(generation);
  }

  /** The next page of the current search. */
  async more(): Promise<void> {
    if (!this.hasMore || this.loading) return;
    await this.load(this.generation);
  }

  clear(): void {
    this.generation++;
    Object.assign(this, { query: '', results: [], hasMore: false, next: null, error: null, searched: false, loading: false });
    this.changed();
  }

  /** A message changed (an edit, a recall): a shown result follows it, or goes when it can no longer match. */
  update(message: Message): void {
    const at = this.results.findIndex((r) => r.message.roomId === message.roomId && r.message.seq === message.seq);
    if (at === -1) return;
    const result = this.results[at]!;
    if (message.recalledAt) this.results = this.results.filter((_, i) => i !== at);
    // The spans were for the old text: an edited result keeps its place but loses its marks.
    else if (message.text !== result.message.text) this.results = this.results.map((r, i) => (i === at ? { message, highlights: [] } : r));
    else return;
    this.changed();
  }

  /** A message recalled or hidden: it can no longer be found. */
  forget(roomId: string, seq: number): void {
    const before = this.results.length;
    this.results = this.results.filter((r) => !(r.message.roomId === roomId && r.message.seq === seq));
    if (this.results.length !== before) this.changed();
  }

  private async load(generation: number): Promise<void> {
    const q = this.query.trim();
    this.loading = true;
    this.changed();
    try {
      let page: SearchResponse;
      if (this.scope === 'room' && this.roomId) {
        const last = this.results.at(-1)?.message.seq;
        page = await this.ports.searchRoom(this.roomId, { q, limit: PAGE, ...(last !== undefined ? { before: last } : {}) });
      } else {
        page = await this.ports.search({ q, limit: PAGE, ...(this.next ? { before: this.next } : {}) });
      }
      if (generation !== this.generation) return;
      this.results = [...this.results, ...page.results];
      this.next = page.next ?? null;
      this.hasMore = page.hasMore && (this.scope === 'room' || this.next !== null);
      this.searched = true;
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = this.ports.toWireError(error);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.changed();
      }
    }
  }
}
