/**
 * The one outlet for what happens in a room. A use case checks, writes its own rows and names
 * what happened as a typed event; `commit` does the rest, always the same way:
 *
 * 1. record — inside the action's transaction, so they commit or fail together: the audit row,
 *    the change-feed entry, and the labelled example a staff decision gives the room (`learn`);
 * 2. announce — after the commit, in this order: cache forgets on every gateway (speaking facts,
 *    bot listeners), sockets joining the room, notices to the users concerned, sockets leaving the
 *    room, the member's presence in the room (joined while online, or gone), the change-feed
 *    entries to the room, and the system message in the timeline (through the message writer, so
 *    it has a seq; bots hear of it from there), the item's card, and a message the action stored
 *    itself (delivered like a sent one).
 *
 * `EFFECTS` below says, per kind, which of these apply: the one place to read "what happens when
 * a member is muted", as permissions.ts is the one place for "who may".
 */
import { randomUUID } from 'node:crypto';
import type { ServerEventName, ServerEventPayload } from '../../shared/events.ts';
import type { TimelineEvent } from '../../shared/room-events.ts';
import type { Challenge, Checkin, Meetup, Poll, RoomRules, Rsvp, Signup } from '../../shared/community.ts';
import type { Announcement, Attachment, LinkPreview, HeldAttachment, HeldMessage, JoinRequest, Message, MessageOrigin, ReportReason, Room, RoomChange, SafetyPolicy } from '../../shared/schemas.ts';
import type { NotificationMode } from '../../shared/people.ts';
import type { CommunityCard } from '../../shared/community.ts';
import type { SafetyReason } from '../safety/types.ts';
import { insertAuditEntry } from '../store/audit.ts';
import { insertSafetyDecision, type SafetyDecision } from '../store/safety-decisions.ts';
import { appendChange, type ChangeDraft } from '../store/changes.ts';
import type { Executor } from '../store/db.ts';
import { staffIdsOf } from '../store/members.ts';
import { presenceHiddenAmong } from '../store/profiles.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { INDEFINITELY } from './speaking.ts';

/** Who did it, with the name shown for them at that moment. */
export interface Actor {
  id: string;
  displayName: string;
}

/** The words and author of a message staff decided about: what the room learns from. */
interface DecidedWords {
  senderId: string | null;
  text: string;
}

/** Someone an event is about. */
interface Subject {
  userId: string;
  displayName: string;
}

/** A report that a decision closed, and who filed it (they hear the outcome). */
export interface ClosedReport {
  reportId: string;
  reporterId: string;
}

/** Everything that happens in a room, with what its effects need. */
export type RoomEvent =
  | ({ kind: 'member.joined'; roomId: string; via: 'open' | 'approval' | 'invite' | 'created'; by?: undefined } & Subject)
  | ({ kind: 'bot.added'; roomId: string; by: Actor } & Subject)
  | ({ kind: 'member.left'; roomId: string } & Subject)
  | ({ kind: 'bot.removed'; roomId: string; by: Actor } & Subject)
  | ({ kind: 'member.kicked'; roomId: string; by: Actor; reason: string } & Subject)
  | ({ kind: 'member.banned'; roomId: string; by: Actor; reason: string; until: Date | null; wasMember: boolean } & Subject)
  | { kind: 'member.unbanned'; roomId: string; userId: string; by: Actor }
  | ({ kind: 'member.muted'; roomId: string; by: Actor; reason: string; until: Date; durationSeconds: number | null } & Subject)
  | ({ kind: 'member.autoMuted'; roomId: string; reason: string; until: Date; durationSeconds: number } & Subject)
  | ({ kind: 'member.unmuted'; roomId: string; by: Actor } & Subject)
  | ({ kind: 'role.changed'; roomId: string; role: 'admin' | 'member'; by: Actor } & Subject)
  | { kind: 'owner.transferred'; roomId: string; from: Actor; to: Actor }
  | { kind: 'nickname.changed'; roomId: string; userId: string; nickname: string | null }
  | { kind: 'room.muteAll'; roomId: string; enabled: boolean; slowModeSeconds: number; by: Actor }
  | { kind: 'room.slowMode'; roomId: string; seconds: number; muteAll: boolean; by: Actor }
  | { kind: 'room.raidShield'; roomId: string; room: Room; joins: number; windowSeconds: number; until: Date }
  | { kind: 'room.raidShieldLifted'; roomId: string; room: Room }
  | { kind: 'room.updated'; roomId: string; room: Room; fields: Record<string, unknown>; by: Actor }
  | { kind: 'room.safetyPolicy'; roomId: string; before: unknown; after: SafetyPolicy; by: Actor }
  | { kind: 'room.dissolved'; roomId: string; memberIds: string[] }
  | { kind: 'room.exported'; roomId: string; throughSeq: number; by: Actor }
  | { kind: 'account.deleted'; roomId: string; userId: string }
  | { kind: 'account.suspended'; roomId: string; userId: string; until: Date; reason: string; by: Actor }
  | { kind: 'account.unsuspended'; roomId: string; userId: string; by: Actor }
  | { kind: 'announcement.posted'; roomId: string; announcement: Announcement; by: Actor }
  | { kind: 'message.pinned'; roomId: string; seq: number; pinnedAt: Date; by: Actor }
  | { kind: 'message.unpinned'; roomId: string; seq: number; by: Actor; reason?: 'recalled' }
  | { kind: 'message.previewed'; roomId: string; seq: number; previews: LinkPreview[] }
  | { kind: 'message.reactions'; roomId: string; seq: number; counts: Array<{ emoji: string; count: number }>; userId: string; emoji: string; op: 'add' | 'remove' }
  | { kind: 'message.edited'; roomId: string; seq: number; editedAt: Date; message: Message; by: Actor }
  | { kind: 'message.forwarded'; roomId: string; seq: number; to: { roomId: string; seq: number }; origin: MessageOrigin; by: Actor }
  | { kind: 'message.recalled'; roomId: string; seq: number; recalledAt: Date; by: Actor; senderId: string; own: boolean; reason?: string }
  | { kind: 'message.reported'; roomId: string; seq: number; senderId: string; reportId: string; reason: ReportReason; by: Actor; openReports: number; hidden: boolean }
  | { kind: 'message.hidden'; roomId: string; seq: number; senderId: string; hiddenAt: Date; openReports: number }
  | { kind: 'reports.dismissed'; roomId: string; seq: number; reportsClosed: number; unhidden: Message | null; words: DecidedWords | null; by: Actor; closed?: ClosedReport[] }
  | { kind: 'reports.removed'; roomId: string; seq: number; reportsClosed: number; words: DecidedWords | null; by: Actor; closed?: ClosedReport[] }
  | { kind: 'message.flagged'; roomId: string; seq: number; senderId: string; reasons: SafetyReason[] }
  | { kind: 'message.held'; roomId: string; heldId: string; senderId: string; reasons: SafetyReason[] }
  | { kind: 'message.blocked'; roomId: string; senderId: string; reasons: SafetyReason[] }
  | { kind: 'held.approved'; roomId: string; held: HeldMessage; message: Message; by: Actor }
  | { kind: 'held.rejected'; roomId: string; held: HeldMessage; by: Actor }
  | { kind: 'upload.held'; roomId: string; uploaderId: string; attachment: Attachment; reasons: SafetyReason[] }
  | { kind: 'upload.blocked'; roomId: string; uploaderId: string; file: { name: string; mime: string; size: number }; reasons: SafetyReason[] }
  /** `by` null: nobody decided within ATTACHMENT_HELD_DAYS, and the upload was rejected for that. */
  | { kind: 'upload.decided'; roomId: string; held: HeldAttachment; decision: 'approved' | 'rejected'; by: Actor | null }
  | { kind: 'joinRequest.created'; roomId: string; request: JoinRequest }
  | { kind: 'joinRequest.decided'; roomId: string; request: JoinRequest; decision: 'approved' | 'rejected'; by: Actor }
  | { kind: 'invite.created'; roomId: string; inviteId: string; expiresAt: string | null; maxUses: number | null; by: Actor }
  | { kind: 'invite.revoked'; roomId: string; inviteId: string; by: Actor }
  | { kind: 'hook.created'; roomId: string; hookId: string; botId: string; by: Actor }
  | { kind: 'hook.revoked'; roomId: string; hookId: string; by: Actor }
  | { kind: 'schedule.created'; roomId: string; scheduleId: string; postKind: string; schedule: unknown; timeZone: string | null; by: Actor }
  | { kind: 'schedule.cancelled'; roomId: string; scheduleId: string; by: Actor }
  | { kind: 'dm.opened'; roomId: string; room: Room; userIds: [string, string] }
  | { kind: 'member.notifications'; roomId: string; userId: string; mode: NotificationMode }
  | { kind: 'signup.created'; roomId: string; signup: Signup; by: Actor }
  | { kind: 'signup.changed'; roomId: string; signup: Signup; op: 'added' | 'edited' | 'removed'; userId: string }
  | { kind: 'signup.closed'; roomId: string; signup: Signup; by: Actor }
  | { kind: 'signup.entryHeld'; roomId: string; signupId: string; userId: string; reasons: SafetyReason[] }
  | { kind: 'signup.entryDecided'; roomId: string; signupId: string; userId: string; decision: 'approved' | 'rejected'; position: number | null; by: Actor }
  | { kind: 'poll.created'; roomId: string; poll: Poll; by: Actor }
  // No voter here: an anonymous vote must leave no trace of who cast it (audit, feed, notices).
  | { kind: 'poll.voted'; roomId: string; poll: Poll }
  | { kind: 'poll.closed'; roomId: string; poll: Poll; by: Actor }
  | { kind: 'rules.updated'; roomId: string; rules: RoomRules; by: Actor }
  | { kind: 'rules.accepted'; roomId: string; userId: string; version: number }
  | { kind: 'meetup.created'; roomId: string; meetup: Meetup; by: Actor }
  | { kind: 'meetup.proposed'; roomId: string; meetup: Meetup; by: Actor }
  // The card is the proposer's, as if they had created it; `by` is the staff member who decided.
  | { kind: 'meetup.approved'; roomId: string; meetup: Meetup; proposer: Actor; by: Actor }
  | { kind: 'meetup.rejected'; roomId: string; meetup: Meetup; proposer: Actor; reason: string | null; by: Actor }
  | { kind: 'meetup.rsvp'; roomId: string; meetup: Meetup; userId: string; status: Rsvp['status']; promoted: PromotedAttendee[] }
  | { kind: 'meetup.cancelled'; roomId: string; meetup: Meetup; attendeeIds: string[]; by: Actor }
  | { kind: 'meetup.reminder'; roomId: string; meetup: Meetup; place: MeetupPlaceDetail; before: '24h' | '1h'; messageId: string; attendeeIds: string[] }
  | { kind: 'meetup.homeSafe'; roomId: string; eventId: string; userId: string }
  | { kind: 'meetup.checklist'; roomId: string; lines: string[]; by: Actor }
  | { kind: 'challenge.created'; roomId: string; challenge: Challenge; by: Actor }
  /** `message`: a photo check-in's message, already stored in the check-in's transaction. */
  | { kind: 'challenge.checkedIn'; roomId: string; challenge: Challenge; userId: string; period: string; streak: number; checkin: Checkin; message: Message | null };

/** A member moved from the waitlist to confirmed, with the place they may now see. */
export interface PromotedAttendee {
  userId: string;
  place: MeetupPlaceDetail;
}
export interface MeetupPlaceDetail {
  name: string;
  area: string | null;
  detail: string | null;
}

export type RoomEventKind = RoomEvent['kind'];
type EventOf<K extends RoomEventKind> = Extract<RoomEvent, { kind: K }>;

interface AuditRow {
  actorId: string | null;
  action: string;
  targetUserId?: string | null;
  targetSeq?: number | null;
  reason?: string;
  details?: Record<string, unknown> | null;
}

/** Who hears a notice: these users, the room's owner and admins (with some users besides), or the whole room. */
type Audience = string[] | 'staff' | { staffAnd: string[] } | 'room';
type Notice = { [E in ServerEventName]: { to: Audience; name: E; payload: ServerEventPayload<E> } }[ServerEventName];

interface Effects<E extends RoomEvent> {
  audit?: (e: E) => AuditRow | null;
  change?: (e: E) => ChangeDraft | null;
  /** Speaking facts to forget on every gateway: a user's, or the whole room's (null). */
  forgetSpeakers?: (e: E) => string | null | undefined;
  /** Which bots listen here changed. */
  forgetBotListeners?: true;
  /** Users whose sockets start receiving the room (before the notices and the system message). */
  addToRoom?: (e: E) => string[];
  notices?: (e: E) => Notice[];
  /** Users whose sockets stop receiving the room (after their notices). */
  removeFromRoom?: (e: E) => string[];
  /**
   * Users whose presence the room should hear now: someone who joins while already online was
   * announced online only to their other rooms; someone who leaves is no longer online here.
   */
  presence?: (e: E) => { userId: string; joined: boolean } | null;
  /** The system message: its English text (for clients that know no better) and its data. */
  system?: (e: E) => { text: string; data: TimelineEvent; id?: string } | null;
  /** A staff decision the room learns from (safety-precedents.ts): stored as a labelled example, and every send after it weighs it. */
  learn?: (e: E) => Omit<SafetyDecision, 'roomId' | 'decidedAt'> | null;
  /**
   * A member's message the action stored in its own transaction (a photo check-in's): delivered
   * after the commit as a sent message is, to the room and to the bots.
   */
  stored?: (e: E) => Message | null;
  /** A community item's card in the timeline, posted as its author (kind signup, poll or event). */
  card?: (e: E) => { id: string; author: Actor; kind: 'signup' | 'poll' | 'event' | 'challenge'; text: string; data: CommunityCard };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
/** "until unmuted" is stored as a far instant and said as null. */
const untilOfMute = (until: Date) => (until.getTime() >= INDEFINITELY.getTime() ? null : until.toISOString());

function describeDuration(seconds: number | null): string {
  if (!seconds) return 'until unmuted';
  if (seconds % 86_400 === 0) return `for ${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3_600 === 0) return `for ${seconds / 3_600} hour${seconds === 3_600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `for ${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `for ${seconds} seconds`;
}

/** The table: per kind of event, which effects it has. */
const EFFECTS: { [K in RoomEventKind]: Effects<EventOf<K>> } = {
  'member.joined': {
    addToRoom: (e) => [e.userId],
    presence: (e) => (e.via === 'created' ? null : { userId: e.userId, joined: true }),
    system: (e) =>
      e.via === 'created' ? null : { text: `${e.displayName} joined`, data: { event: 'member.joined', userId: e.userId, displayName: e.displayName, via: e.via } },
  },
  'bot.added': {
    audit: (e) => ({ actorId: e.by.id, action: 'bot.add', targetUserId: e.userId }),
    forgetBotListeners: true,
    // Before the join notice, so the bot already hears it.
    addToRoom: (e) => [e.userId],
    presence: (e) => ({ userId: e.userId, joined: true }),
    system: (e) => ({
      text: `${e.displayName} joined`,
      data: { event: 'member.joined', userId: e.userId, displayName: e.displayName, via: 'bot', by: e.by.id, byName: e.by.displayName },
    }),
  },
  'member.left': {
    forgetSpeakers: (e) => e.userId,
    removeFromRoom: (e) => [e.userId],
    presence: (e) => ({ userId: e.userId, joined: false }),
    system: (e) => ({ text: `${e.displayName} left`, data: { event: 'member.left', userId: e.userId, displayName: e.displayName } }),
  },
  'bot.removed': {
    audit: (e) => ({ actorId: e.by.id, action: 'bot.remove', targetUserId: e.userId }),
    forgetSpeakers: (e) => e.userId,
    forgetBotListeners: true,
    removeFromRoom: (e) => [e.userId],
    presence: (e) => ({ userId: e.userId, joined: false }),
    system: (e) => ({ text: `${e.displayName} left`, data: { event: 'member.left', userId: e.userId, displayName: e.displayName, by: e.by.id, byName: e.by.displayName } }),
  },
  'member.kicked': {
    audit: (e) => ({ actorId: e.by.id, action: 'member.kick', targetUserId: e.userId, reason: e.reason }),
    forgetSpeakers: (e) => e.userId,
    notices: (e) => [{ to: [e.userId], name: 'room:removed', payload: { roomId: e.roomId, reason: 'kicked' } }],
    removeFromRoom: (e) => [e.userId],
    presence: (e) => ({ userId: e.userId, joined: false }),
    system: (e) => ({
      text: `${e.displayName} was removed from the room`,
      data: { event: 'member.kicked', userId: e.userId, displayName: e.displayName, by: e.by.id, byName: e.by.displayName },
    }),
  },
  'member.banned': {
    audit: (e) => ({ actorId: e.by.id, action: 'member.ban', targetUserId: e.userId, reason: e.reason, details: { until: iso(e.until) } }),
    forgetSpeakers: (e) => (e.wasMember ? e.userId : undefined),
    notices: (e) => (e.wasMember ? [{ to: [e.userId], name: 'room:removed', payload: { roomId: e.roomId, reason: 'banned' } }] : []),
    removeFromRoom: (e) => (e.wasMember ? [e.userId] : []),
    presence: (e) => (e.wasMember ? { userId: e.userId, joined: false } : null),
    system: (e) =>
      e.wasMember
        ? {
            text: `${e.displayName} was banned`,
            data: { event: 'member.banned', userId: e.userId, displayName: e.displayName, by: e.by.id, byName: e.by.displayName, until: iso(e.until) },
          }
        : null,
  },
  'member.unbanned': {
    audit: (e) => ({ actorId: e.by.id, action: 'member.unban', targetUserId: e.userId }),
  },
  'member.muted': {
    audit: (e) => ({ actorId: e.by.id, action: 'member.mute', targetUserId: e.userId, reason: e.reason, details: { until: untilOfMute(e.until) } }),
    forgetSpeakers: (e) => e.userId,
    notices: (e) => [{ to: [e.userId], name: 'member:muted', payload: { roomId: e.roomId, until: untilOfMute(e.until), reason: e.reason } }],
    system: (e) => ({
      text: `${e.displayName} was muted ${describeDuration(e.durationSeconds)}`,
      data: { event: 'member.muted', userId: e.userId, displayName: e.displayName, by: e.by.id, byName: e.by.displayName, until: untilOfMute(e.until), automatic: false },
    }),
  },
  // The safety rules' mute: the same effects as a person's, the member told the same way.
  'member.autoMuted': {
    audit: (e) => ({ actorId: null, action: 'member.mute', targetUserId: e.userId, reason: e.reason, details: { automatic: true, until: e.until.toISOString() } }),
    forgetSpeakers: (e) => e.userId,
    notices: (e) => [{ to: [e.userId], name: 'member:muted', payload: { roomId: e.roomId, until: e.until.toISOString(), reason: e.reason, automatic: true } }],
    system: (e) => ({
      text: `${e.displayName} was muted for ${Math.round(e.durationSeconds / 60)} minutes (repeated spam)`,
      data: { event: 'member.muted', userId: e.userId, displayName: e.displayName, by: null, byName: null, until: e.until.toISOString(), automatic: true },
    }),
  },
  'member.unmuted': {
    audit: (e) => ({ actorId: e.by.id, action: 'member.unmute', targetUserId: e.userId }),
    forgetSpeakers: (e) => e.userId,
    notices: (e) => [{ to: [e.userId], name: 'member:unmuted', payload: { roomId: e.roomId } }],
    system: (e) => ({
      text: `${e.displayName} can speak again`,
      data: { event: 'member.unmuted', userId: e.userId, displayName: e.displayName, by: e.by.id, byName: e.by.displayName },
    }),
  },
  'role.changed': {
    audit: (e) => ({ actorId: e.by.id, action: e.role === 'admin' ? 'admin.appoint' : 'admin.dismiss', targetUserId: e.userId }),
    forgetSpeakers: (e) => e.userId,
    system: (e) => ({
      text: e.role === 'admin' ? `${e.displayName} is now an admin` : `${e.displayName} is no longer an admin`,
      data: { event: 'role.changed', userId: e.userId, displayName: e.displayName, role: e.role, by: e.by.id, byName: e.by.displayName },
    }),
  },
  'owner.transferred': {
    audit: (e) => ({ actorId: e.from.id, action: 'owner.transfer', targetUserId: e.to.id }),
    forgetSpeakers: () => null,
    system: (e) => ({
      text: `${e.from.displayName} made ${e.to.displayName} the owner`,
      data: { event: 'owner.transferred', from: e.from.id, fromName: e.from.displayName, to: e.to.id, toName: e.to.displayName },
    }),
  },
  'nickname.changed': {
    forgetSpeakers: (e) => e.userId,
    notices: (e) => [{ to: 'room', name: 'member:updated', payload: { roomId: e.roomId, userId: e.userId, nickname: e.nickname } }],
  },
  'room.muteAll': {
    audit: (e) => ({ actorId: e.by.id, action: e.enabled ? 'room.muteAll.on' : 'room.muteAll.off' }),
    change: (e) => ({ kind: 'room', payload: { muteAll: e.enabled, slowModeSeconds: e.slowModeSeconds } }),
    forgetSpeakers: () => null,
    system: (e) => ({
      text: e.enabled ? 'Everyone is muted; only the owner and admins can speak' : 'Everyone can speak again',
      data: { event: 'room.muteAll', enabled: e.enabled, by: e.by.id, byName: e.by.displayName },
    }),
  },
  'room.slowMode': {
    audit: (e) => ({ actorId: e.by.id, action: 'room.slowMode', details: { seconds: e.seconds } }),
    change: (e) => ({ kind: 'room', payload: { muteAll: e.muteAll, slowModeSeconds: e.seconds } }),
    forgetSpeakers: () => null,
    system: (e) => ({
      text: e.seconds > 0 ? `Slow mode is on: one message every ${e.seconds} seconds` : 'Slow mode is off',
      data: { event: 'room.slowMode', seconds: e.seconds, by: e.by.id, byName: e.by.displayName },
    }),
  },
  // Raised and lifted by the server itself: no actor in the audit, everyone told in the timeline.
  'room.raidShield': {
    audit: (e) => ({ actorId: null, action: 'room.raidShield', details: { joins: e.joins, windowSeconds: e.windowSeconds, until: e.until.toISOString(), slowModeSeconds: e.room.slowModeSeconds } }),
    change: (e) => ({ kind: 'room', payload: { room: e.room, muteAll: e.room.muteAll, slowModeSeconds: e.room.slowModeSeconds } }),
    forgetSpeakers: () => null,
    system: (e) => ({
      text: `${e.joins} people joined within ${e.windowSeconds} seconds: until ${e.until.toISOString()} new members need approval and slow mode is ${e.room.slowModeSeconds} seconds`,
      data: { event: 'room.raidShield', joins: e.joins, windowSeconds: e.windowSeconds, until: e.until.toISOString(), slowModeSeconds: e.room.slowModeSeconds },
    }),
  },
  'room.raidShieldLifted': {
    audit: () => ({ actorId: null, action: 'room.raidShieldLifted' }),
    change: (e) => ({ kind: 'room', payload: { room: e.room, muteAll: e.room.muteAll, slowModeSeconds: e.room.slowModeSeconds } }),
    forgetSpeakers: () => null,
    system: (e) => ({
      text: e.room.joinPolicy === 'open' ? 'The join wave is over: anyone may join again' : 'The join wave is over',
      data: { event: 'room.raidShieldLifted', joinPolicy: e.room.joinPolicy, slowModeSeconds: e.room.slowModeSeconds },
    }),
  },
  'room.updated': {
    audit: (e) => ({ actorId: e.by.id, action: 'room.update', details: { ...e.fields } }),
    change: (e) => ({ kind: 'room', payload: { room: e.room } }),
  },
  'room.safetyPolicy': {
    audit: (e) => ({ actorId: e.by.id, action: 'room.safetyPolicy', details: { before: e.before, after: e.after } }),
    // Members learn that the rules changed, not what they are (see readSafetyPolicy).
    change: (e) => ({ kind: 'room', payload: { fields: ['safetyPolicy'], updatedBy: e.by.id } }),
    forgetSpeakers: () => null,
  },
  'room.dissolved': {
    forgetSpeakers: () => null,
    notices: (e) => [{ to: e.memberIds, name: 'room:removed', payload: { roomId: e.roomId, reason: 'dissolved' } }],
    removeFromRoom: (e) => e.memberIds,
  },
  'room.exported': {
    audit: (e) => ({ actorId: e.by.id, action: 'room.export', details: { throughSeq: e.throughSeq } }),
  },
  'account.deleted': {
    forgetSpeakers: (e) => e.userId,
    removeFromRoom: (e) => [e.userId],
    presence: (e) => ({ userId: e.userId, joined: false }),
  },
  // Site-wide, by a site moderator: each of the account's rooms forgets what it knew of its
  // speaker, so a send already past authentication is refused; its staff read why in the audit.
  'account.suspended': {
    audit: (e) => ({ actorId: e.by.id, action: 'account.suspend', targetUserId: e.userId, reason: e.reason, details: { until: untilOfMute(e.until) } }),
    forgetSpeakers: (e) => e.userId,
  },
  'account.unsuspended': {
    audit: (e) => ({ actorId: e.by.id, action: 'account.unsuspend', targetUserId: e.userId }),
    forgetSpeakers: (e) => e.userId,
  },
  'announcement.posted': {
    audit: (e) => ({ actorId: e.by.id, action: 'announcement.post', details: { announcementId: e.announcement.id } }),
    change: (e) => ({ kind: 'announcement', payload: { announcement: e.announcement } }),
    system: (e) => ({
      text: `${e.by.displayName} posted an announcement`,
      data: { event: 'announcement.posted', announcementId: e.announcement.id, actorId: e.by.id, actorName: e.by.displayName },
    }),
  },
  'message.pinned': {
    change: (e) => ({ kind: 'pin', payload: { seq: e.seq, pinnedBy: e.by.id, pinnedAt: e.pinnedAt.toISOString() } }),
  },
  'message.unpinned': {
    change: (e) => ({ kind: 'unpin', payload: e.reason ? { seq: e.seq, unpinnedBy: e.by.id, reason: e.reason } : { seq: e.seq, unpinnedBy: e.by.id } }),
  },
  'message.previewed': {
    change: (e) => ({ kind: 'preview', payload: { seq: e.seq, previews: e.previews } }),
  },
  'message.reactions': {
    change: (e) => ({ kind: 'reactions', payload: { seq: e.seq, counts: e.counts, userId: e.userId, emoji: e.emoji, op: e.op } }),
  },
  'message.edited': {
    // Members replace the text in place; sync carries it to those who were away.
    change: (e) => ({ kind: 'edit', payload: { seq: e.seq, editedAt: e.editedAt.toISOString(), message: e.message } }),
  },
  'message.forwarded': {
    // Recorded in the room the words left: its staff can see what was taken where.
    audit: (e) => ({ actorId: e.by.id, action: 'message.forward', targetUserId: e.origin.sender?.id ?? null, targetSeq: e.seq, details: { toRoomId: e.to.roomId, toSeq: e.to.seq } }),
  },
  'message.recalled': {
    // A member taking back their own words is not moderation: only staff recalls are audited.
    audit: (e) => (e.own ? null : { actorId: e.by.id, action: 'message.recall', targetUserId: e.senderId, targetSeq: e.seq, reason: e.reason }),
    change: (e) => ({ kind: 'recall', payload: { seq: e.seq, recalledAt: e.recalledAt.toISOString(), recalledBy: e.by.id, recalledByName: e.by.displayName } }),
    notices: (e) => [{ to: 'room', name: 'message:recalled', payload: { roomId: e.roomId, seq: e.seq, recalledAt: e.recalledAt.toISOString(), recalledBy: e.by.id } }],
  },
  'message.reported': {
    audit: (e) => ({ actorId: e.by.id, action: 'message.report', targetUserId: e.senderId, targetSeq: e.seq, details: { reportId: e.reportId, reason: e.reason } }),
    notices: (e) => [{ to: 'staff', name: 'review:new', payload: { roomId: e.roomId, kind: 'report', seq: e.seq, reason: e.reason, openReports: e.openReports, hidden: e.hidden } }],
  },
  'message.hidden': {
    audit: (e) => ({ actorId: null, action: 'message.hide', targetUserId: e.senderId, targetSeq: e.seq, reason: `Reported by ${e.openReports} members`, details: { openReports: e.openReports } }),
    change: (e) => ({ kind: 'hidden', payload: { seq: e.seq, hiddenAt: e.hiddenAt.toISOString() } }),
  },
  'reports.dismissed': {
    audit: (e) => ({ actorId: e.by.id, action: 'review.dismiss', targetSeq: e.seq, details: { reportsClosed: e.reportsClosed, unhidden: e.unhidden !== null } }),
    // The feed entry carries the message again, so clients can put the text back.
    change: (e) => (e.unhidden ? { kind: 'hidden', payload: { seq: e.seq, hiddenAt: null, message: e.unhidden } } : null),
    learn: (e) => (e.words ? { senderId: e.words.senderId, decidedBy: e.by.id, decision: 'approved', source: 'report', text: e.words.text } : null),
    notices: (e) => [
      { to: 'staff', name: 'review:decided', payload: { roomId: e.roomId, kind: 'report', seq: e.seq, status: 'dismissed' } },
      ...toReporters(e.closed, 'dismissed'),
    ],
  },
  'reports.removed': {
    audit: (e) => ({ actorId: e.by.id, action: 'review.remove', targetSeq: e.seq, details: { reportsClosed: e.reportsClosed } }),
    learn: (e) => (e.words ? { senderId: e.words.senderId, decidedBy: e.by.id, decision: 'removed', source: 'report', text: e.words.text } : null),
    notices: (e) => [
      { to: 'staff', name: 'review:decided', payload: { roomId: e.roomId, kind: 'report', seq: e.seq, status: 'removed' } },
      ...toReporters(e.closed, 'removed'),
    ],
  },
  'message.flagged': {
    audit: (e) => ({ actorId: null, action: 'safety.flag', targetUserId: e.senderId, targetSeq: e.seq, details: { reasons: e.reasons } }),
    notices: (e) => [{ to: 'staff', name: 'message:flagged', payload: { roomId: e.roomId, seq: e.seq, reasons: e.reasons } }],
  },
  'message.held': {
    audit: (e) => ({ actorId: null, action: 'safety.hold', targetUserId: e.senderId, details: { heldId: e.heldId, reasons: e.reasons } }),
    notices: (e) => [{ to: 'staff', name: 'review:new', payload: { roomId: e.roomId, kind: 'held', heldId: e.heldId, reasons: e.reasons } }],
  },
  'message.blocked': {
    audit: (e) => ({ actorId: null, action: 'safety.block', targetUserId: e.senderId, details: { reasons: e.reasons } }),
  },
  'held.approved': {
    audit: (e) => ({ actorId: e.by.id, action: 'review.approve', targetUserId: e.held.sender.id, targetSeq: e.message.seq, details: { heldId: e.held.id, reasons: e.held.reasons } }),
    learn: (e) => ({ senderId: e.held.sender.id, decidedBy: e.by.id, decision: 'approved', source: 'held', text: e.held.text }),
    notices: (e) => [
      {
        to: { staffAnd: [e.held.sender.id] },
        name: 'review:decided',
        payload: { roomId: e.roomId, kind: 'held', heldId: e.held.id, clientMsgId: e.held.clientMsgId, status: 'approved', message: e.message },
      },
    ],
  },
  'upload.held': {
    audit: (e) => ({
      actorId: null,
      action: 'safety.hold',
      targetUserId: e.uploaderId,
      details: { attachmentId: e.attachment.id, name: e.attachment.name, mime: e.attachment.mime, reasons: e.reasons },
    }),
    notices: (e) => [{ to: 'staff', name: 'review:new', payload: { roomId: e.roomId, kind: 'attachment', attachmentId: e.attachment.id, reasons: e.reasons } }],
  },
  'upload.blocked': {
    audit: (e) => ({ actorId: null, action: 'safety.block', targetUserId: e.uploaderId, details: { attachment: e.file, reasons: e.reasons } }),
  },
  'upload.decided': {
    audit: (e) => ({
      actorId: e.by?.id ?? null,
      action: e.decision === 'approved' ? 'review.approve' : 'review.reject',
      targetUserId: e.held.uploader.id,
      details: { attachmentId: e.held.attachment.id, name: e.held.attachment.name, reasons: e.held.reasons, ...(e.by ? {} : { expired: true }) },
    }),
    notices: (e) => [
      {
        to: { staffAnd: [e.held.uploader.id] },
        name: 'review:decided',
        payload: {
          roomId: e.roomId,
          kind: 'attachment',
          attachmentId: e.held.attachment.id,
          status: e.decision,
          attachment: e.held.attachment,
          ...(e.by ? {} : { expired: true as const }),
        },
      },
    ],
  },
  'held.rejected': {
    audit: (e) => ({ actorId: e.by.id, action: 'review.reject', targetUserId: e.held.sender.id, details: { heldId: e.held.id, reasons: e.held.reasons } }),
    learn: (e) => ({ senderId: e.held.sender.id, decidedBy: e.by.id, decision: 'rejected', source: 'held', text: e.held.text }),
    notices: (e) => [
      { to: { staffAnd: [e.held.sender.id] }, name: 'review:decided', payload: { roomId: e.roomId, kind: 'held', heldId: e.held.id, clientMsgId: e.held.clientMsgId, status: 'rejected' } },
    ],
  },
  'joinRequest.created': {
    notices: (e) => [{ to: 'staff', name: 'join:requested', payload: { roomId: e.roomId, request: e.request } }],
  },
  'joinRequest.decided': {
    audit: (e) => ({ actorId: e.by.id, action: `joinRequest.${e.decision === 'approved' ? 'approve' : 'reject'}`, targetUserId: e.request.user.id }),
    notices: (e) => [{ to: [e.request.user.id], name: 'join:decided', payload: { roomId: e.roomId, requestId: e.request.id, status: e.decision } }],
  },
  'invite.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'invite.create', details: { inviteId: e.inviteId, expiresAt: e.expiresAt, maxUses: e.maxUses } }),
  },
  'invite.revoked': {
    audit: (e) => ({ actorId: e.by.id, action: 'invite.revoke', details: { inviteId: e.inviteId } }),
  },
  'hook.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'hook.create', details: { hookId: e.hookId, botId: e.botId } }),
  },
  'hook.revoked': {
    audit: (e) => ({ actorId: e.by.id, action: 'hook.revoke', details: { hookId: e.hookId } }),
  },
  'schedule.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'schedule.create', details: { scheduleId: e.scheduleId, kind: e.postKind, schedule: e.schedule, timeZone: e.timeZone } }),
  },
  'schedule.cancelled': {
    audit: (e) => ({ actorId: e.by.id, action: 'schedule.cancel', details: { scheduleId: e.scheduleId } }),
  },
  // A DM room is born with its two members: no system message, no presence round (each hears
  // the other's presence from the next change on), and both told, so every device lists it.
  'dm.opened': {
    addToRoom: (e) => [...e.userIds],
    notices: (e) => [{ to: [...e.userIds], name: 'dm:opened', payload: { room: e.room, peerIds: [...e.userIds] } }],
  },
  'member.notifications': {
    notices: (e) => [{ to: [e.userId], name: 'member:notifications', payload: { roomId: e.roomId, mode: e.mode } }],
  },
  'signup.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'signup.create', details: { signupId: e.signup.id } }),
    card: (e) => ({ id: e.signup.messageId, author: e.by, kind: 'signup', text: `接龙: ${e.signup.title}`, data: { event: 'signup', signup: e.signup } }),
  },
  'signup.changed': {
    change: (e) => ({ kind: 'signup', payload: { op: e.op, userId: e.userId, signup: e.signup } }),
  },
  'signup.closed': {
    audit: (e) => ({ actorId: e.by.id, action: 'signup.close', details: { signupId: e.signup.id } }),
    change: (e) => ({ kind: 'signup', payload: { op: 'closed', userId: null, signup: e.signup } }),
  },
  // A line the safety rules hold waits for staff like a held message; nobody else sees it.
  'signup.entryHeld': {
    audit: (e) => ({ actorId: null, action: 'safety.hold', targetUserId: e.userId, details: { signupId: e.signupId, reasons: e.reasons } }),
    notices: (e) => [{ to: 'staff', name: 'review:new', payload: { roomId: e.roomId, kind: 'signupEntry', signupId: e.signupId, userId: e.userId, reasons: e.reasons } }],
  },
  'signup.entryDecided': {
    audit: (e) => ({ actorId: e.by.id, action: e.decision === 'approved' ? 'review.approve' : 'review.reject', targetUserId: e.userId, details: { signupId: e.signupId } }),
    notices: (e) => [
      {
        to: { staffAnd: [e.userId] },
        name: 'review:decided',
        payload: { roomId: e.roomId, kind: 'signupEntry', signupId: e.signupId, userId: e.userId, status: e.decision, ...(e.position ? { position: e.position } : {}) },
      },
    ],
  },
  'poll.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'poll.create', details: { pollId: e.poll.id, anonymous: e.poll.anonymous } }),
    card: (e) => ({ id: e.poll.messageId, author: e.by, kind: 'poll', text: `Poll: ${e.poll.question}`, data: { event: 'poll', poll: e.poll } }),
  },
  'poll.voted': {
    change: (e) => ({ kind: 'poll', payload: { op: 'voted', poll: e.poll } }),
  },
  'poll.closed': {
    audit: (e) => ({ actorId: e.by.id, action: 'poll.close', details: { pollId: e.poll.id } }),
    change: (e) => ({ kind: 'poll', payload: { op: 'closed', poll: e.poll } }),
  },
  'rules.updated': {
    audit: (e) => ({ actorId: e.by.id, action: 'rules.update', details: { version: e.rules.version, requireAcceptance: e.rules.requireAcceptance } }),
    change: (e) => ({ kind: 'rules', payload: { rules: e.rules } }),
    // Whether each member may speak depends on the version they accepted: every gateway re-reads it.
    forgetSpeakers: () => null,
    system: (e) => ({
      text: `${e.by.displayName} updated the room rules`,
      data: { event: 'rules.updated', version: e.rules.version, requireAcceptance: e.rules.requireAcceptance, by: e.by.id, byName: e.by.displayName },
    }),
  },
  'rules.accepted': {
    audit: (e) => ({ actorId: e.userId, action: 'rules.accept', details: { version: e.version } }),
    forgetSpeakers: (e) => e.userId,
  },
  'meetup.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.create', details: { eventId: e.meetup.id } }),
    card: (e) => ({ id: e.meetup.messageId, author: e.by, kind: 'event', text: `Meetup: ${e.meetup.title}`, data: { event: 'event', meetup: e.meetup } }),
  },
  // A proposal is no card and no change: only the staff hear of it, until one of them decides.
  'meetup.proposed': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.propose', details: { eventId: e.meetup.id } }),
    notices: (e) => [{ to: 'staff', name: 'review:new', payload: { roomId: e.roomId, kind: 'eventProposal', eventId: e.meetup.id, title: e.meetup.title, userId: e.by.id } }],
  },
  'meetup.approved': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.approve', targetUserId: e.proposer.id, details: { eventId: e.meetup.id } }),
    notices: (e) => [
      {
        to: { staffAnd: [e.proposer.id] },
        name: 'review:decided',
        payload: { roomId: e.roomId, kind: 'eventProposal', eventId: e.meetup.id, title: e.meetup.title, userId: e.proposer.id, status: 'approved' },
      },
    ],
    card: (e) => ({ id: e.meetup.messageId, author: e.proposer, kind: 'event', text: `Meetup: ${e.meetup.title}`, data: { event: 'event', meetup: e.meetup } }),
  },
  'meetup.rejected': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.reject', targetUserId: e.proposer.id, ...(e.reason ? { reason: e.reason } : {}), details: { eventId: e.meetup.id } }),
    notices: (e) => [
      {
        to: { staffAnd: [e.proposer.id] },
        name: 'review:decided',
        payload: { roomId: e.roomId, kind: 'eventProposal', eventId: e.meetup.id, title: e.meetup.title, userId: e.proposer.id, status: 'rejected', reason: e.reason },
      },
    ],
  },
  'meetup.rsvp': {
    change: (e) => ({ kind: 'event', payload: { op: e.promoted.length > 0 ? 'promoted' : 'rsvp', event: e.meetup } }),
    // The promoted member is told at once, with the place they may now see.
    notices: (e) =>
      e.promoted.map((p) => ({
        to: [p.userId],
        name: 'event:rsvp' as const,
        payload: { roomId: e.roomId, eventId: e.meetup.id, title: e.meetup.title, status: 'confirmed' as const, reason: 'promoted' as const, place: p.place },
      })),
  },
  'meetup.cancelled': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.cancel', details: { eventId: e.meetup.id } }),
    change: (e) => ({ kind: 'event', payload: { op: 'cancelled', event: e.meetup } }),
    notices: (e) => [
      { to: e.attendeeIds, name: 'event:rsvp', payload: { roomId: e.roomId, eventId: e.meetup.id, title: e.meetup.title, status: 'declined', reason: 'cancelled' } },
    ],
  },
  'meetup.reminder': {
    change: (e) => ({ kind: 'event', payload: { op: 'reminded', event: e.meetup } }),
    notices: (e) => [
      { to: e.attendeeIds, name: 'event:reminder', payload: { roomId: e.roomId, eventId: e.meetup.id, title: e.meetup.title, startsAt: e.meetup.startsAt, before: e.before, place: e.place } },
    ],
    // The room hears it without the exact place; the attendees' notice carries it.
    system: (e) => ({
      id: e.messageId,
      text: `Reminder: ${e.meetup.title} starts in ${e.before === '24h' ? '24 hours' : '1 hour'}`,
      data: { event: 'event.reminder', eventId: e.meetup.id, title: e.meetup.title, startsAt: e.meetup.startsAt, before: e.before },
    }),
  },
  'meetup.homeSafe': {
    audit: (e) => ({ actorId: e.userId, action: 'event.homeSafe', details: { eventId: e.eventId } }),
  },
  'challenge.created': {
    audit: (e) => ({ actorId: e.by.id, action: 'challenge.create', details: { challengeId: e.challenge.id } }),
    card: (e) => ({ id: e.challenge.messageId, author: e.by, kind: 'challenge', text: `打卡: ${e.challenge.title}`, data: { event: 'challenge', challenge: e.challenge } }),
  },
  'challenge.checkedIn': {
    change: (e) => ({ kind: 'challenge', payload: { op: 'checkedIn', userId: e.userId, period: e.period, streak: e.streak, challenge: e.challenge, checkin: e.checkin } }),
    stored: (e) => e.message,
  },
  'meetup.checklist': {
    audit: (e) => ({ actorId: e.by.id, action: 'event.checklist', details: { lines: e.lines } }),
  },
};

/** One `report:decided` to each reporter whose report the decision closed. */
function toReporters(closed: ClosedReport[] | undefined, outcome: 'dismissed' | 'removed'): Notice[] {
  return (closed ?? []).map((report): Notice => ({ to: [report.reporterId], name: 'report:decided', payload: { reportId: report.reportId, outcome } }));
}

function effectsOf<E extends RoomEvent>(event: E): Effects<E> {
  return EFFECTS[event.kind] as Effects<E>;
}

/** What recording left for the announcement: the events and their change-feed entries. */
export interface Recorded {
  events: RoomEvent[];
  changes: RoomChange[];
}

/** Phase one, inside the action's transaction: audit rows and change-feed entries. */
export async function record(tx: Executor, events: RoomEvent[]): Promise<Recorded> {
  const changes: RoomChange[] = [];
  for (const event of events) {
    const effects = effectsOf(event);
    const row = effects.audit?.(event);
    if (row) await insertAuditEntry(tx, { roomId: event.roomId, ...row });
    const draft = effects.change?.(event);
    if (draft) changes.push(await appendChange(tx, event.roomId, draft));
    const example = effects.learn?.(event);
    if (example) await insertSafetyDecision(tx, { roomId: event.roomId, ...example });
  }
  return { events, changes };
}

/** Phase two, after the commit: forgets, membership of sockets, notices, changes, system messages. */
export async function announce(deps: DomainDeps, { events, changes }: Recorded): Promise<Message[]> {
  const posted: Message[] = [];
  for (const event of events) {
    const effects = effectsOf(event);
    const speakers = effects.forgetSpeakers?.(event);
    if (speakers !== undefined) await deps.live.forgetSpeakers(event.roomId, speakers);
    if (effects.forgetBotListeners) await deps.live.forgetBotListeners(event.roomId);
    if (effects.learn?.(event)) deps.precedents.forget(event.roomId);
    for (const userId of effects.addToRoom?.(event) ?? []) await deps.live.addUserToRoom(userId, event.roomId);
    for (const notice of effects.notices?.(event) ?? []) await deliver(deps, event.roomId, notice);
    await Promise.all((effects.removeFromRoom?.(event) ?? []).map((userId) => deps.live.removeUserFromRoom(userId, event.roomId)));
    const presence = effects.presence?.(event);
    if (presence) await announceRoomPresence(deps, event.roomId, presence.userId, presence.joined);
    for (const change of changes.filter((c) => c.roomId === event.roomId)) deps.live.publishRoomEvent(change.roomId, 'room:change', change);
    changes = changes.filter((c) => c.roomId !== event.roomId);
    const system = effects.system?.(event);
    if (system) posted.push(await postSystemMessage(deps, event.roomId, system.text, system.data, system.id));
    const card = effects.card?.(event);
    if (card) posted.push(await postCard(deps, event.roomId, card));
    const stored = effects.stored?.(event);
    if (stored) {
      deps.writer.storedElsewhere(stored.kind);
      deps.live.publishMessage(stored);
      deps.bots.messageStored(stored);
      posted.push(stored);
    }
  }
  return posted;
}

/**
 * Runs the action's writes and records its events in one transaction, then announces them.
 * `work` returns the events (one, several, or none when nothing changed) and its own result.
 */
export async function commit<T>(deps: DomainDeps, work: (tx: Executor) => Promise<{ events: RoomEvent | RoomEvent[] | null; value: T }>): Promise<T> {
  const { recorded, value } = await deps.db.transaction(async (tx) => {
    const { events, value } = await work(tx);
    const list = events === null ? [] : Array.isArray(events) ? events : [events];
    return { recorded: await record(tx, list), value };
  });
  await announce(deps, recorded);
  return value;
}

/** An event with no writes of its own (or whose writes are already committed elsewhere). */
export async function commitEvent(deps: DomainDeps, event: RoomEvent): Promise<void> {
  await commit(deps, async () => ({ events: event, value: undefined }));
}

/** A member who joined while online is online here too; one who left is not (whatever their other rooms say). */
async function announceRoomPresence(deps: DomainDeps, roomId: string, userId: string, joined: boolean): Promise<void> {
  const online = joined && (await deps.presence.onlineAmong([userId])).has(userId) && (await presenceHiddenAmong(deps.db, [userId])).size === 0;
  if (joined && !online) return;
  deps.live.publishRoomEvent(roomId, 'presence', { roomId, userId, online });
}

async function deliver(deps: DomainDeps, roomId: string, notice: Notice): Promise<void> {
  // Each notice's payload was built for its own name in the table above.
  const { name, payload } = notice as { name: 'room:removed'; payload: ServerEventPayload<'room:removed'>; to: Notice['to'] };
  const to = notice.to;
  if (to === 'room') return deps.live.publishRoomEvent(roomId, name, payload);
  if (Array.isArray(to)) return deps.live.publishToUsers(to, name, payload);
  const staff = await staffIdsOf(deps.db, roomId);
  deps.live.publishToUsers(to === 'staff' ? staff : [...new Set([...staff, ...to.staffAnd])], name, payload);
}

/** Stores a system message (kind `system`, no sender) and delivers it like any message; bots hear of it. */
async function postSystemMessage(deps: DomainDeps, roomId: string, text: string, data: TimelineEvent, id: string = randomUUID()): Promise<Message> {
  const message = await deps.writer.write({
    id,
    roomId,
    sender: null,
    clientMsgId: null,
    kind: 'system',
    text,
    replyTo: null,
    data,
    createdAt: new Date(),
  });
  deps.live.publishMessage(message);
  deps.bots.messageStored(message);
  return message;
}

/** A community item's card: a message from its author whose data is the item (kept current by its changes). */
async function postCard(deps: DomainDeps, roomId: string, card: NonNullable<ReturnType<NonNullable<Effects<RoomEvent>['card']>>>): Promise<Message> {
  const message = await deps.writer.write({
    id: card.id,
    roomId,
    sender: { id: card.author.id, displayName: card.author.displayName, kind: 'user' },
    clientMsgId: null,
    kind: card.kind,
    text: card.text,
    replyTo: null,
    data: card.data,
    createdAt: new Date(),
  });
  deps.live.publishMessage(message);
  deps.bots.messageStored(message);
  return message;
}

export function actor(principal: Principal): Actor {
  return { id: principal.userId, displayName: principal.displayName };
}

/** Whom an event is about, with their name as events show it (the account's display name). */
export async function subjectOf(db: Executor, userId: string): Promise<Subject> {
  return { userId, displayName: (await findUserById(db, userId))?.displayName ?? 'Someone' };
}
