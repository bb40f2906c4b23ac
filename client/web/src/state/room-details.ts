/**
 * What an open room shows besides its messages, and my actions on them: the announcement (and
 * whether I read it), the pins, who is online, the member list (and the names it teaches, which
 * system messages need: they carry ids only), reactions and recalls. Each look is independent:
 * one failing, or missing on this server, leaves the others.
 */
import type { QuanziClient } from '../../../sdk/index.ts';
import type { Recall } from '../../../../shared/schemas.ts';
import { addPin, applyRecall, removePin, setPins, type Timeline } from './timeline.ts';

export interface RoomDetailPorts {
  client: Pick<QuanziClient, 'members' | 'rest'>;
  timeline(roomId: string): Timeline;
  /** Display names by user id, shared with the store. */
  names: Map<string, string>;
  /** Runs a request whose endpoint may be missing or refused; tells the page afterwards. */
  optional(work: () => Promise<void>): Promise<void>;
  changed(): void;
}

export class RoomDetails {
  constructor(private readonly ports: RoomDetailPorts) {}

  private get rest() {
    return this.ports.client.rest;
  }

  /** The room was opened: everything but its messages, each on its own. */
  loadOnOpen(roomId: string): void {
    const tl = this.ports.timeline(roomId);
    void this.ports.optional(async () => {
      tl.announcement = await this.rest.announcement(roomId).then((a) => (a.announcement ? { announcement: a.announcement, readByMe: a.readByMe } : null));
    });
    void this.loadPins(roomId);
    void this.ports.optional(async () => {
      tl.presence = await this.rest.presence(roomId);
    });
    void this.loadMembers(roomId);
  }

  async loadMembers(roomId: string): Promise<void> {
    await this.ports.optional(async () => {
      const members = await this.ports.client.members(roomId);
      this.ports.timeline(roomId).members = members;
      for (const m of members) this.ports.names.set(m.user.id, m.nickname ?? m.user.displayName);
    });
  }

  async loadPins(roomId: string): Promise<void> {
    await this.ports.optional(async () => setPins(this.ports.timeline(roomId), (await this.rest.pins(roomId)).pins));
  }

  async markAnnouncementRead(roomId: string): Promise<void> {
    await this.rest.markAnnouncementRead(roomId);
    const tl = this.ports.timeline(roomId);
    if (tl.announcement) tl.announcement = { ...tl.announcement, readByMe: true };
    this.ports.changed();
  }

  /** Adds my reaction, or takes it back when I had given that one already. */
  async react(roomId: string, seq: number, emoji: string): Promise<void> {
    const mine = this.ports.timeline(roomId).reactions.get(seq)?.find((r) => r.emoji === emoji)?.mine ?? false;
    const result = await this.rest.react(roomId, seq, emoji, !mine);
    this.ports.timeline(roomId).reactions.set(seq, result.reactions);
    this.ports.changed();
  }

  async recall(roomId: string, seq: number): Promise<void> {
    this.applyRecall(await this.rest.recall(roomId, seq));
  }

  /** A recall, mine or live: the message shows as recalled. */
  applyRecall(recall: Recall): void {
    if (applyRecall(this.ports.timeline(recall.roomId), recall)) this.ports.changed();
  }

  async togglePin(roomId: string, seq: number): Promise<void> {
    const tl = this.ports.timeline(roomId);
    if (tl.pins.has(seq)) {
      await this.rest.unpin(roomId, seq);
      removePin(tl, seq);
    } else addPin(tl, (await this.rest.pin(roomId, seq)).pin);
    this.ports.changed();
  }
}
