/**
 * Paging a room's history into its timeline: the newest page when the room is first opened,
 * older pages as the reader scrolls up, and paging back to a given seq so a pinned (or quoted)
 * message far up the room can be shown. The timeline stays one unbroken run of seqs: every page
 * starts from the oldest message loaded. Each page's reactions follow it.
 */
import type { HistoryQuery, Message, MessagePage, ReactionCount } from '../../../../shared/schemas.ts';
import { setReactions, type Timeline } from './timeline.ts';

/** What opening a room or scrolling up loads at once. */
export const PAGE = 50;
/** Paging back to a message goes in bigger steps, and gives up after this many. */
const BACK_PAGE = 100;
const BACK_ROUNDS = 50;

export interface HistoryPagePorts {
  history(roomId: string, query: HistoryQuery): Promise<MessagePage>;
  reactions(roomId: string, fromSeq: number, toSeq: number): Promise<Record<string, ReactionCount[]>>;
  timeline(roomId: string): Timeline;
  /** Stored messages into the timeline (the store's merge: names learned, my pending copies settled). */
  merge(roomId: string, messages: Message[]): void;
  /** Runs a request whose endpoint may be missing or refused; tells the page afterwards. */
  optional(work: () => Promise<void>): Promise<void>;
  changed(): void;
}

export class HistoryPages {
  constructor(private readonly ports: HistoryPagePorts) {}

  /** The newest page, once per timeline (a reset or a reload makes a new one). */
  async first(roomId: string): Promise<void> {
    const tl = this.ports.timeline(roomId);
    if (tl.loaded) return;
    const page = await this.ports.history(roomId, { limit: PAGE });
    tl.loaded = true;
    tl.hasOlder = page.hasMore;
    this.took(roomId, page.messages);
  }

  /** The page before the oldest loaded message; one at a time. */
  async older(roomId: string): Promise<void> {
    const tl = this.ports.timeline(roomId);
    if (!tl.loaded || tl.loadingOlder || !tl.hasOlder) return;
    const oldest = tl.messages[0]?.seq;
    if (oldest === undefined || oldest <= 1) {
      tl.hasOlder = false;
      return this.ports.changed();
    }
    tl.loadingOlder = true;
    this.ports.changed();
    try {
      const page = await this.ports.history(roomId, { before: oldest, limit: PAGE });
      tl.hasOlder = page.hasMore;
      this.took(roomId, page.messages);
    } finally {
      tl.loadingOlder = false;
      this.ports.changed();
    }
  }

  /** Pages back until `seq` is loaded; resolves to whether it is (false too while another page is on its way). */
  async backTo(roomId: string, seq: number): Promise<boolean> {
    const tl = this.ports.timeline(roomId);
    if (tl.bySeq.has(seq)) return true;
    if (tl.loadingOlder) return false;
    tl.loadingOlder = true;
    try {
      for (let rounds = 0; !tl.bySeq.has(seq) && rounds < BACK_ROUNDS; rounds++) {
        const oldest = tl.messages[0]?.seq;
        if (!tl.loaded || oldest === undefined || oldest <= seq || !tl.hasOlder) break;
        const page = await this.ports.history(roomId, { before: oldest, limit: BACK_PAGE });
        tl.hasOlder = page.hasMore;
        this.took(roomId, page.messages);
      }
    } finally {
      tl.loadingOlder = false;
      this.ports.changed();
    }
    return tl.bySeq.has(seq);
  }

  private took(roomId: string, messages: Message[]): void {
    this.ports.merge(roomId, messages);
    void this.loadReactions(roomId, messages);
  }

  private async loadReactions(roomId: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ports.optional(async () => {
      setReactions(this.ports.timeline(roomId), await this.ports.reactions(roomId, messages[0]!.seq, messages.at(-1)!.seq));
    });
  }
}
