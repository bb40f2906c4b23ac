/**
 * What happens in a room, as data. Two families travel on the wire:
 * - timeline events: a system message's `data` (a member joined, was muted, the owner changed…),
 *   with the names of everyone involved as they were at that moment, so a client writes the
 *   sentence in its own language without looking anyone up and without reading the English `text`;
 * - change-feed entries: a `room:change`'s `kind` and `payload` (a recall, reactions, a pin…).
 * The server's outlet for them is server/domain/room-events.ts. Fields that earlier versions sent
 * are kept as they were; the names (`displayName`, `byName`, …) are additions.
 */
import { Type, type Static } from 'typebox';
import { Id, Role, Seq, Timestamp } from './primitives.ts';

const Name = Type.String({ description: 'The display name as it was when this happened' });
const ByWhom = {
  by: Type.Union([Id, Type.Null()], { description: 'Who did it; null when the server did it by itself' }),
  byName: Type.Union([Name, Type.Null()]),
};

const timelineEvent = <E extends string, P extends Parameters<typeof Type.Object>[0]>(event: E, properties: P, description: string) =>
  Type.Object({ event: Type.Literal(event), ...properties }, { description, title: event });

export const MemberJoined = timelineEvent(
  'member.joined',
  {
    userId: Id,
    displayName: Name,
    via: Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('invite'), Type.Literal('bot')], {
      description: 'open: joined an open room; approval: a join request was approved; invite: through an invite link; bot: a bot added by staff',
    }),
    by: Type.Optional(Id),
    byName: Type.Optional(Name),
  },
  'Someone became a member',
);
export const MemberLeft = timelineEvent(
  'member.left',
  { userId: Id, displayName: Name, by: Type.Optional(Id), byName: Type.Optional(Name) },
  'A member left (by, byName: who took a bot out)',
);
export const MemberKicked = timelineEvent('member.kicked', { userId: Id, displayName: Name, by: Id, byName: Name }, 'A member was removed by staff');
export const MemberBanned = timelineEvent(
  'member.banned',
  { userId: Id, displayName: Name, by: Id, byName: Name, until: Type.Union([Timestamp, Type.Null()], { description: 'null: for good' }) },
  'A member was banned by staff',
);
export const MemberMuted = timelineEvent(
  'member.muted',
  {
    userId: Id,
    displayName: Name,
    ...ByWhom,
    until: Type.Union([Timestamp, Type.Null()], { description: 'null: until unmuted' }),
    automatic: Type.Boolean({ description: 'Muted by the safety rules after repeated refused messages, not by a person' }),
  },
  'A member was muted',
);
export const MemberUnmuted = timelineEvent('member.unmuted', { userId: Id, displayName: Name, by: Id, byName: Name }, 'A muted member may speak again');
export const RoleChanged = timelineEvent(
  'role.changed',
  { userId: Id, displayName: Name, role: Type.Union([Type.Literal('admin'), Type.Literal('member')]), by: Id, byName: Name },
  'A member was made an admin, or an admin a member again',
);
export const OwnerTransferred = timelineEvent('owner.transferred', { from: Id, fromName: Name, to: Id, toName: Name }, 'The owner handed the room over');
export const MuteAllChanged = timelineEvent('room.muteAll', { enabled: Type.Boolean(), by: Id, byName: Name }, 'Mute-all switched on or off');
export const SlowModeChanged = timelineEvent('room.slowMode', { seconds: Type.Integer({ minimum: 0 }), by: Id, byName: Name }, 'Slow mode set (0: off)');
export const AnnouncementPosted = timelineEvent(
  'announcement.posted',
  { announcementId: Id, actorId: Id, actorName: Name },
  'A new announcement (群公告); the change feed carries its text',
);

export const RulesUpdated = timelineEvent(
  'rules.updated',
  { version: Type.Integer({ minimum: 1 }), requireAcceptance: Type.Boolean(), by: Id, byName: Name },
  "The room's must-read rules changed (GET /v1/rooms/{roomId}/rules has the text)",
);
export const MeetupReminder = timelineEvent(
  'event.reminder',
  { eventId: Id, title: Type.String(), startsAt: Timestamp, before: Type.Union([Type.Literal('24h'), Type.Literal('1h')]) },
  'A meetup starts in 24 hours or in 1 hour',
);

export const RaidShieldRaised = timelineEvent(
  'room.raidShield',
  {
    joins: Type.Integer({ minimum: 1, description: 'How many joined within windowSeconds' }),
    windowSeconds: Type.Integer({ minimum: 1 }),
    until: Timestamp,
    slowModeSeconds: Type.Integer({ minimum: 0 }),
  },
  'A wave of joins: new members need approval and slow mode holds until `until` (the room safety policy\'s raid settings)',
);
export const RaidShieldLifted = timelineEvent(
  'room.raidShieldLifted',
  { joinPolicy: Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('invite_only')]), slowModeSeconds: Type.Integer({ minimum: 0 }) },
  'The raid shield ended: joining and slow mode are as they were (or as staff set them meanwhile)',
);

/** A system message's `data`: one of these, told apart by `event`. */
export const TimelineEvent = Type.Union(
  [MemberJoined, MemberLeft, MemberKicked, MemberBanned, MemberMuted, MemberUnmuted, RoleChanged, OwnerTransferred, MuteAllChanged, SlowModeChanged, AnnouncementPosted, RulesUpdated, MeetupReminder, RaidShieldRaised, RaidShieldLifted],
  { description: 'What a system message records, with the names involved' },
);
export type TimelineEvent = Static<typeof TimelineEvent>;
export type TimelineEventName = TimelineEvent['event'];

// ---- Change feed: the payload of each kind of `room:change` ----

export const RecallPayload = Type.Object({ seq: Seq, recalledAt: Timestamp, recalledBy: Id, recalledByName: Type.Optional(Name) });
export const ReactionsPayload = Type.Object({
  seq: Seq,
  counts: Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer({ minimum: 1 }) }), { description: 'Every emoji on the message now' }),
  userId: Id,
  emoji: Type.String(),
  op: Type.Union([Type.Literal('add'), Type.Literal('remove')]),
});
export const PinPayload = Type.Object({ seq: Seq, pinnedBy: Id, pinnedAt: Timestamp });
export const UnpinPayload = Type.Object({
  seq: Seq,
  unpinnedBy: Id,
  reason: Type.Optional(Type.Literal('recalled', { description: 'Unpinned because the message was recalled' })),
});
/** What a `room` change says besides the room itself (schemas.ts adds `room`). */
export const RoomSettingsFields = {
  muteAll: Type.Optional(Type.Boolean()),
  slowModeSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  fields: Type.Optional(Type.Array(Type.String(), { description: 'Settings that changed and are not shown to members (e.g. safetyPolicy)' })),
  updatedBy: Type.Optional(Id),
};
/** What a `hidden` change says besides the message (schemas.ts adds `message` when it is shown again). */
export const HiddenFields = {
  seq: Seq,
  hiddenAt: Type.Union([Timestamp, Type.Null()], { description: 'null: shown again after staff dismissed the reports' }),
};

export const LinkPreview = Type.Object({
  url: Type.String({ description: 'The link as written in the message' }),
  finalUrl: Type.String({ description: 'Where the page was found after redirects' }),
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  image: Type.Union([Type.String({ description: 'An https URL of the page’s picture; loading it reveals the reader to that site' }), Type.Null()]),
  siteName: Type.Union([Type.String(), Type.Null()]),
});
export type LinkPreview = Static<typeof LinkPreview>;
export const PreviewPayload = Type.Object({ seq: Seq, previews: Type.Array(LinkPreview, { description: 'Previews of the links in the message, in the order they appear' }) });

export type RecallPayload = Static<typeof RecallPayload>;
export type ReactionsPayload = Static<typeof ReactionsPayload>;
export type PinPayload = Static<typeof PinPayload>;
export type UnpinPayload = Static<typeof UnpinPayload>;

