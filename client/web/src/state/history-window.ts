/**
 * Showing a message far back in a room (a search result months old): rather than page back
 * through everything since, the timeline is replaced by a stretch of history around it, as
 * Telegram does. Scrolling up pages back as usual; scrolling down loads the newer pages until
 * the stretch meets the newest messages again, or "back to the newest" goes there at once.
 * Messages arriving meanwhile wait (timeline.ts `later`) and join when the stretch reaches them.
 */
import type { HistoryQuery, Message, MessagePage, ReactionCount } from '../../../../shared/schemas.ts';
import { mergeMessages, resetMessages, setReactions, type Timeline } from './timeline.ts';

/** A message at most this many seqs above the loaded ones is reached by paging back (it stays one run). */
export const PAGE_BACK_LIMIT = 200;
/** How many messages before the one sought a stretch starts with, so it shows in context. */
const CONTEXT_BEFORE = 25;
const PAGE = 100;
const NEWEST_PAGE = 50;

export interface WindowPorts {
  history(roomId: string, query: HistoryQuery): Promise<MessagePage>;
  reactions(roomId: string, fromSeq: number, toSeq: number): Promise<Record<string, ReactionCount[]>>;
  timeline(roomId: string): Timeline;
  loadBackTo(roomId: string, seq: number): Promise<boolean>;
  myId(): string | null;
  /** The reader is (true) or is no longer (false) at the newest messages. */
  setAtBottom(atBottom: boolean): void;
  changed(): void;
}

export class HistoryWindows {
  private loadingNewer = new Set<string>();

  constructor(private readonly ports: WindowPorts) {}

  /** Loads what is needed for message `seq` to be in the timeline; resolves to whether it is. */
  async reveal(roomId: string, seq: number): Promise<boolean> {
    const tl = this.ports.timeline(roomId);
    if (tl.bySeq.has(seq)) return true;
    const oldest = tl.messages[0]?.seq;
    const inLoadedRun = oldest !== undefined && seq > oldest && (tl.newerAfter === null || seq <= tl.newerAfter);
    // Inside what is loaded but absent: it is not there to show (hidden or gone).
    if (inLoadedRun) return false;
    if (oldest !== undefined && seq < oldest && oldest - seq <= PAGE_BACK_LIMIT) return this.ports.loadBackTo(roomId, seq);
    await this.openAround(roomId, seq);
    return tl.bySeq.has(seq);
  }

  /** Replaces the timeline with the history around `seq`. */
  private async openAround(roomId: string, seq: number): Promise<void> {
    const page = await this.ports.history(roomId, { after: Math.max(0, seq - CONTEXT_BEFORE - 1), limit: PAGE });
    const tl = this.ports.timeline(roomId);
    const later = [...tl.later.values(), ...tl.messages];
    this.ports.setAtBottom(false);
    resetMessages(tl, page.messages, (page.messages[0]?.seq ?? seq) > 1, this.ports.myId());
    if (page.hasMore) {
      tl.newerAfter = page.messages.at(-1)?.seq ?? seq;
      // What was loaded before, past the stretch, waits with whatever arrives next.
      for (const message of later) if (message.seq > tl.newerAfter) tl.later.set(message.seq, message);
    } else mergeMessages(tl, later, this.ports.myId());
    void this.loadReactions(roomId, page.messages);
    this.ports.changed();
  }

  /** The next newer page of a stretch (scrolling down); the stretch ends when it reaches the newest. */
  async loadNewer(roomId: string): Promise<void> {
    const tl = this.ports.timeline(roomId);
    if (tl.newerAfter === null || this.loadingNewer.has(roomId)) return;
    this.loadingNewer.add(roomId);
    try {
      const from = tl.newerAfter;
      const page = await this.ports.history(roomId, { after: from, limit: PAGE });
      if (tl.newerAfter !== from) return;
      this.extend(tl, page);
      void this.loadReactions(roomId, page.messages);
    } finally {
      this.loadingNewer.delete(roomId);
      this.ports.changed();
    }
  }

  /** "Back to the newest": the newest page, as when the room was opened. */
  async backToNewest(roomId: string): Promise<void> {
    const tl = this.ports.timeline(roomId);
    if (tl.newerAfter === null) return;
    const page = await this.ports.history(roomId, { limit: NEWEST_PAGE });
    const waiting = [...tl.later.values()];
    resetMessages(tl, page.messages, page.hasMore, this.ports.myId());
    mergeMessages(tl, waiting, this.ports.myId());
    this.ports.setAtBottom(true);
    void this.loadReactions(roomId, page.messages);
    this.ports.changed();
  }

  private extend(tl: Timeline, page: MessagePage): void {
    const myId = this.ports.myId();
    const last = page.messages.at(-1)?.seq ?? tl.newerAfter!;
    if (page.hasMore) {
      tl.newerAfter = last;
      mergeMessages(tl, page.messages, myId);
      const joined = [...tl.later.values()].filter((m) => m.seq <= last);
      for (const m of joined) tl.later.delete(m.seq);
      mergeMessages(tl, joined, myId);
    } else {
      // Met the newest: one run again, with what arrived while the stretch was open.
      tl.newerAfter = null;
      const waiting = [...tl.later.values()];
      tl.later.clear();
      mergeMessages(tl, [...page.messages, ...waiting], myId);
    }
  }

  private async loadReactions(roomId: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      setReactions(this.ports.timeline(roomId), await this.ports.reactions(roomId, messages[0]!.seq, messages.at(-1)!.seq));
      this.ports.changed();
    } catch {
      // Reactions are extras: the messages stand without them.
    }
  }
}
