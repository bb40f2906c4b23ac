/**
 * People as this page knows them: profile cards (GET /v1/users/:id, only what each chose to
 * show), my own profile and privacy, the people I blocked, and my do-not-disturb setting per
 * room. Blocking hides the person's messages at once in what is already loaded; the server
 * leaves out everything newer (history, sync, live, unread counts).
 */
import type { Static } from 'typebox';
import type { QuanziClient } from '../../../sdk/index.ts';
import type { BlockedUser, NotificationMode, Privacy, PublicProfile, UpdateProfileBody } from '../../../../shared/people.ts';

export type Blocked = Static<typeof BlockedUser>;
export type { NotificationMode, Privacy, PublicProfile };

/** What the people module needs of the store (ChatStore has it). */
export interface PeopleHost {
  readonly client: QuanziClient;
  readonly me: { id: string; displayName: string } | null;
  readonly rooms: ReadonlyMap<string, { notifications?: NotificationMode; unread: number; unreadMentions: number }>;
  touch(): void;
  /** My display name changed: every place showing it follows. */
  renamed(displayName: string): void;
  /** Someone was unblocked: what the server left out while they were blocked is read again. */
  reloadTimelines(): void;
}

/** What a room's badge shows under my do-not-disturb setting (docs/protocol.md, "Read positions"). */
export function badgeOf(entry: { notifications?: NotificationMode; unread: number; unreadMentions: number }): { count: number; mentions: number; quiet: boolean } {
  const mode = entry.notifications ?? 'all';
  if (mode === 'all') return { count: entry.unread, mentions: entry.unreadMentions, quiet: false };
  // Muted: no number, a quiet dot says something is unread; @me still counts (and @all under 'mentions').
  return { count: 0, mentions: entry.unreadMentions, quiet: entry.unread > 0 };
}

export class People {
  /** Cards fetched on this page, by user id (a card is re-read each time it opens). */
  readonly profiles = new Map<string, PublicProfile>();
  blocks: Blocked[] = [];
  private blockedIds = new Set<string>();
  privacy: Privacy | null = null;
  /** My own card as others see it (bio included), once loaded. */
  mine: PublicProfile | null = null;

  constructor(private readonly host: PeopleHost) {}

  private get rest() {
    return this.host.client.rest;
  }

  /** The block list, so hidden people stay hidden from the first render. */
  async load(): Promise<void> {
    this.setBlocks((await this.rest.call('GET /v1/me/blocks')).blocks);
  }

  isBlocked(userId: string | null | undefined): boolean {
    return !!userId && this.blockedIds.has(userId);
  }

  async profile(userId: string): Promise<PublicProfile> {
    const { profile } = await this.rest.call('GET /v1/users/:userId', { params: { userId } });
    this.profiles.set(userId, profile);
    if (userId === this.host.me?.id) this.mine = profile;
    this.host.touch();
    return profile;
  }

  async editProfile(body: UpdateProfileBody): Promise<PublicProfile> {
    const { profile } = await this.rest.call('PATCH /v1/me', { body });
    this.profiles.set(profile.id, profile);
    this.mine = profile;
    this.host.renamed(profile.displayName);
    this.host.touch();
    return profile;
  }

  async loadPrivacy(): Promise<Privacy> {
    this.privacy = (await this.rest.call('GET /v1/me/privacy')).privacy;
    this.host.touch();
    return this.privacy;
  }

  /** Shown as chosen at once (a checkbox must not spring back while the server answers); undone on a refusal. */
  async setPrivacy(change: Partial<Privacy>): Promise<Privacy> {
    const before = this.privacy;
    if (before) this.privacy = { ...before, ...change };
    this.host.touch();
    try {
      this.privacy = (await this.rest.call('PUT /v1/me/privacy', { body: change })).privacy;
    } catch (error) {
      this.privacy = before;
      throw error;
    } finally {
      this.host.touch();
    }
    return this.privacy;
  }

  async block(user: { id: string; username: string; displayName: string }): Promise<void> {
    await this.rest.call('PUT /v1/me/blocks/:userId', { params: { userId: user.id } });
    if (!this.blockedIds.has(user.id)) this.setBlocks([{ ...user, blockedAt: new Date().toISOString() }, ...this.blocks]);
    this.host.touch();
  }

  async unblock(userId: string): Promise<void> {
    await this.rest.call('DELETE /v1/me/blocks/:userId', { params: { userId } });
    this.setBlocks(this.blocks.filter((b) => b.id !== userId));
    this.host.reloadTimelines();
    this.host.touch();
  }

  private setBlocks(blocks: Blocked[]): void {
    this.blocks = blocks;
    this.blockedIds = new Set(blocks.map((b) => b.id));
  }

  /** 消息免打扰: sets what alerts me in a room; my other devices hear `member:notifications`. */
  async setNotifications(roomId: string, mode: NotificationMode): Promise<void> {
    const before = this.host.rooms.get(roomId)?.notifications ?? 'all';
    this.applyNotifications(roomId, mode);
    try {
      const answer = await this.rest.call('PUT /v1/rooms/:roomId/members/me/notifications', { params: { roomId }, body: { mode } });
      this.applyNotifications(answer.roomId, answer.mode);
    } catch (error) {
      this.applyNotifications(roomId, before);
      throw error;
    }
  }

  applyNotifications(roomId: string, mode: NotificationMode): void {
    const entry = this.host.rooms.get(roomId);
    if (entry) entry.notifications = mode;
    this.host.touch();
  }
}
