/**
 * One room's timeline as this page knows it: stored messages merged by seq from whatever brings
 * them (history pages, live delivery, a sync reset, a send's answer, an approval), and the change
 * feed applied on top (recalls, reactions, pins, hides, previews, the announcement).
 *
 * Pure bookkeeping, like the SDK's room-stream.ts: no sockets, no timers, no store. The SDK
 * already delivers live messages and changes once and in order; history pages are read beside it,
 * so here every merge is by seq (a message seen twice is one row, the rows are always in seq
 * order) and every change is applied at most once (by its feed position).
 */
import type { Announcement, LinkPreview, Member, Message, Pin, ReactionCount, Recall, RoomChange, RoomPresence } from '../../../../shared/schemas.ts';
import type { PendingMessage } from './outbox.ts';

export interface Timeline {
  roomId: string;
  /** Stored messages in seq order, each seq once. */
  messages: Message[];
  bySeq: Map<number, Message>;
  /** clientMsgIds of my stored messages, so a pending copy disappears the moment the real one is in. */
  mine: Set<string>;
  loaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  /**
   * Set while an older stretch of history is shown on its own (a jump far back, history-window.ts):
   * messages after this seq are not loaded yet. What arrives live meanwhile waits in `later`.
   */
  newerAfter: number | null;
  later: Map<number, Message>;
  /** Highest change-feed position applied here; null until the first one. */
  changePosition: number | null;
  reactions: Map<number, ReactionCount[]>;
  /** Link preview cards, by message seq (the server's `preview` changes). */
  previews: Map<number, LinkPreview[]>;
  pins: Set<number>;
  /** The pinned messages, newest pin first (GET …/pins, then the pin/unpin changes). */
  pinList: Pin[];
  hidden: Set<number>;
  announcement: { announcement: Announcement; readByMe: boolean } | null;
  presence: RoomPresence | null;
  typing: Map<string, { name: string; until: number }>;
  members: Member[] | null;
}

export function createTimeline(roomId: string): Timeline {
  return {
    roomId,
    messages: [],
    bySeq: new Map(),
    mine: new Set(),
    loaded: false,
    hasOlder: true,
    loadingOlder: false,
    newerAfter: null,
    later: new Map(),
    changePosition: null,
    reactions: new Map(),
    previews: new Map(),
    pins: new Set(),
    pinList: [],
    hidden: new Set(),
    announcement: null,
    presence: null,
    typing: new Map(),
    members: null,
  };
}

/**
 * Merges stored messages by seq; returns whether the timeline changed. `myId` marks which are
 * mine (their clientMsgIds settle my pending copies).
 */
export function mergeMessages(tl: Timeline, messages: readonly Message[], myId: string | null): boolean {
  let changed = false;
  for (const message of messages) {
    if (message.roomId !== tl.roomId) continue;
    if (tl.newerAfter !== null && message.seq > tl.newerAfter) {
      tl.later.set(message.seq, message);
      continue;
    }
    const known = tl.bySeq.get(message.seq);
    // A recall may have reached us before an older copy of the message: keep the recalled one.
    if (known?.recalledAt && !message.recalledAt) continue;
    tl.bySeq.set(message.seq, message);
    if (message.clientMsgId && myId !== null && message.sender?.id === myId) tl.mine.add(message.clientMsgId);
    changed = true;
  }
  if (changed) tl.messages = [...tl.bySeq.values()].sort((a, b) => a.seq - b.seq);
  return changed;
}

/** A sync reset: the server's page replaces what was loaded (the gap was too long to fill). */
export function resetMessages(tl: Timeline, messages: readonly Message[], hasMore: boolean, myId: string | null): void {
  tl.messages = [];
  tl.bySeq.clear();
  tl.mine.clear();
  tl.hasOlder = hasMore;
  tl.loaded = true;
  tl.newerAfter = null;
  tl.later.clear();
  mergeMessages(tl, messages, myId);
}

/** The newest message this page knows of, also while an older stretch is shown (history-window.ts). */
export function newestKnown(tl: Timeline): Message | undefined {
  let newest = tl.messages.at(-1);
  for (const message of tl.later.values()) if (!newest || message.seq > newest.seq) newest = message;
  return newest;
}

/** The newest stored seq loaded here (0: none). */
export function newestSeq(tl: Timeline): number {
  return tl.messages.at(-1)?.seq ?? 0;
}

/** A recall: the text and the files go (members can no longer fetch them), and so does its pin. */
export function applyRecall(tl: Timeline, recall: Recall): boolean {
  const message = tl.bySeq.get(recall.seq);
  if (!message) return false;
  const recalled = { ...message, text: '', recalledAt: recall.recalledAt, recalledBy: recall.recalledBy, attachments: [] } as Message;
  tl.bySeq.set(recall.seq, recalled);
  tl.messages = tl.messages.map((m) => (m.seq === recall.seq ? recalled : m));
  removePin(tl, recall.seq);
  return true;
}

export function addPin(tl: Timeline, pin: Pin): void {
  tl.pins.add(pin.seq);
  tl.pinList = [pin, ...tl.pinList.filter((x) => x.seq !== pin.seq)];
}

export function removePin(tl: Timeline, seq: number): void {
  tl.pins.delete(seq);
  tl.pinList = tl.pinList.filter((x) => x.seq !== seq);
}

export function setPins(tl: Timeline, pins: Pin[]): void {
  tl.pinList = pins;
  tl.pins = new Set(pins.map((p) => p.seq));
}

/** What applying a change leaves for the store to fetch: the feed names some things by id only. */
export type FollowUp = 'none' | 'refresh-room' | 'load-pins';

/**
 * Applies one change-feed entry. An entry at or below the position already applied is ignored,
 * so a change delivered twice (live and again in a sync page) takes effect once.
 */
export function applyChange(tl: Timeline, change: RoomChange, myId: string | null): FollowUp {
  if (change.roomId !== tl.roomId) return 'none';
  if (tl.changePosition !== null && change.position <= tl.changePosition) return 'none';
  tl.changePosition = change.position;
  switch (change.kind) {
    case 'recall': {
      const { seq, recalledAt, recalledBy } = change.payload;
      applyRecall(tl, { roomId: change.roomId, seq, recalledAt, recalledBy });
      return 'none';
    }
    case 'reactions': {
      const { seq, counts, userId, emoji: changed, op } = change.payload;
      const before = tl.reactions.get(seq) ?? [];
      const byMe = myId !== null && userId === myId;
      // Counts are the full state after the change; `mine` moves only with my own add/remove.
      tl.reactions.set(
        seq,
        counts.map(({ emoji, count }) => ({ emoji, count, mine: byMe && changed === emoji ? op === 'add' : (before.find((r) => r.emoji === emoji)?.mine ?? false) })),
      );
      return 'none';
    }
    case 'pin': {
      const { seq, pinnedBy, pinnedAt } = change.payload;
      tl.pins.add(seq);
      const message = tl.bySeq.get(seq);
      // The payload names the seq only: a message outside the loaded pages comes with the list.
      if (message) {
        addPin(tl, { seq, pinnedBy, pinnedAt, message });
        return 'none';
      }
      return 'load-pins';
    }
    case 'unpin':
      removePin(tl, change.payload.seq);
      return 'none';
    case 'announcement': {
      const { announcement } = change.payload;
      tl.announcement = { announcement, readByMe: myId !== null && announcement.author.id === myId };
      return 'none';
    }
    case 'hidden': {
      const { seq, hiddenAt, message } = change.payload;
      if (hiddenAt) tl.hidden.add(seq);
      else {
        tl.hidden.delete(seq);
        if (message) mergeMessages(tl, [message], myId);
      }
      return 'none';
    }
    case 'room':
      return 'refresh-room';
    case 'preview':
      tl.previews.set(change.payload.seq, change.payload.previews);
      return 'none';
    case 'edit':
      // The message as it is now (new text, editedAt); a recall that overtook it stays a recall.
      mergeMessages(tl, [change.payload.message], myId);
      return 'none';
    default:
      return 'none';
  }
}

/** Reaction counts read from the server for a range of seqs (a history page). */
export function setReactions(tl: Timeline, counts: Record<string, ReactionCount[]>): void {
  for (const [seq, list] of Object.entries(counts)) tl.reactions.set(Number(seq), list);
}

/** A presence event: the member is added to or taken from the online list, never twice. */
export function applyPresence(tl: Timeline, userId: string, online: boolean): boolean {
  if (!tl.presence) return false;
  const others = tl.presence.online.filter((u) => u.id !== userId);
  const name = tl.members?.find((m) => m.user.id === userId)?.user.displayName ?? '';
  const list = online ? [...others, { id: userId, displayName: name }] : others;
  tl.presence = { online: list, count: list.length };
  return true;
}

/** Whether a message counts as unread for me (the server's rule: others' text messages). */
function countsAsUnread(message: Message, myId: string | null): boolean {
  return message.kind === 'text' && message.sender?.id !== myId;
}

/** The first loaded message I had not read when the room opened (read up to `readUpTo`). */
export function firstUnread(tl: Timeline, readUpTo: number, myId: string | null): Message | null {
  return tl.messages.find((m) => m.seq > readUpTo && countsAsUnread(m, myId)) ?? null;
}

/** The first loaded unread message that mentions me (by name or @all). */
export function firstMentionOf(tl: Timeline, readUpTo: number, myId: string | null): Message | null {
  if (myId === null) return null;
  return tl.messages.find((m) => m.seq > readUpTo && countsAsUnread(m, myId) && (m.mentionsAll || m.mentions.includes(myId))) ?? null;
}

/** One row of the timeline: a stored message, or one of mine not (yet) stored. */
export type TimelineItem = { kind: 'message'; message: Message } | { kind: 'pending'; pending: PendingMessage };

/** My pending messages that are not stored yet (a stored copy settles its pending one). */
export function unsettled(tl: Timeline, pending: readonly PendingMessage[]): PendingMessage[] {
  return pending.filter((p) => !tl.mine.has(p.clientMsgId));
}

/**
 * The timeline in reading order, as WeChat and Telegram show it: stored messages by seq; a
 * held, blocked or failed message of mine where I sent it (after the message that was newest
 * then); messages still sending at the very bottom, in the order written.
 */
export function timelineItems(tl: Timeline, outbox: readonly PendingMessage[]): TimelineItem[] {
  const pending = unsettled(tl, outbox);
  const settled = pending.filter((p) => p.status !== 'sending').sort((a, b) => a.afterSeq - b.afterSeq);
  const items: TimelineItem[] = [];
  let next = 0;
  for (const message of tl.messages) {
    while (next < settled.length && settled[next]!.afterSeq < message.seq) items.push({ kind: 'pending', pending: settled[next++]! });
    items.push({ kind: 'message', message });
  }
  while (next < settled.length) items.push({ kind: 'pending', pending: settled[next++]! });
  for (const p of pending) if (p.status === 'sending') items.push({ kind: 'pending', pending: p });
  return items;
}
