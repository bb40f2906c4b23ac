/**
 * Wire contract v1: the JSON schemas of every request, response and socket payload.
 * The server validates with them, OpenAPI is generated from them, and the client SDK
 * takes its types from them (Static<>), so the three can never drift apart.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Id, Role, Seq, Timestamp, UUID_PATTERN } from './primitives.ts';
import { Attachment, AttachmentIds, MAX_ATTACHMENTS } from './attachments.ts';
import { HiddenFields, PinPayload, PreviewPayload, ReactionsPayload, RecallPayload, RoomSettingsFields, TimelineEvent, UnpinPayload } from './room-events.ts';
export { LinkPreview } from './room-events.ts';
import { ChallengeCard, ChallengeChangePayload, CheckinNote, MeetupCard, MeetupChangePayload, PollCard, PollChangePayload, RulesChangePayload, RulesResponse, SignupCard, SignupChangePayload } from './community.ts';

export const MAX_TEXT_LENGTH = 4000;
export { MAX_ATTACHMENTS } from './attachments.ts';
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
/** Messages returned per room by one `sync`; the client pages with `hasMore`. */
export const SYNC_PAGE_SIZE = 100;

export { Id, Role, Seq, Timestamp } from './primitives.ts';

export const Username = Type.String({
  pattern: '^[a-z0-9_]{3,32}$',
  description: '3–32 characters: lowercase letters, digits and underscore',
});
export const Password = Type.String({ minLength: 8, maxLength: 256 });
export const DisplayName = Type.String({ minLength: 1, maxLength: 64 });

export const NoContent = Type.Null({ description: 'No content' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. NOT_A_MEMBER' }),
      message: Type.String({ description: 'Human-readable explanation' }),
      details: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          description: 'Facts a client can act on, e.g. retryAfterMs with UNAVAILABLE (503: the database is unreachable; retry the same request then)',
        }),
      ),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.Union([Type.Literal('user'), Type.Literal('bot')]),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;


export const JoinPolicy = Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('invite_only')]);
export type JoinPolicy = Static<typeof JoinPolicy>;

export const RoomVisibility = Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')], {
  description: 'public: listed and searchable in GET /v1/rooms; unlisted: reachable by link or QR code only; private: invite only, never listed, its card shown only to members and with a valid invite',
});
export type RoomVisibility = Static<typeof RoomVisibility>;

export const Room = Type.Object({
  id: Id,
  name: Type.String(),
  topic: Type.String(),
  tags: Type.Array(Type.String()),
  ownerId: Id,
  visibility: RoomVisibility,
  kind: Type.Union([Type.Literal('group'), Type.Literal('dm')], { description: "'dm': a direct conversation of two members (POST /v1/dms); never listed, no roles, no joining" }),
  preview: Type.Boolean({ description: 'Look before joining: signed-in non-members of a public room may read its newest messages (GET /v1/rooms/{roomId}/preview)' }),
  membersCanForward: Type.Boolean({ description: 'Members may forward messages out of the room (the owner may turn it off)' }),
  memberCount: Type.Integer(),
  memberLimit: Type.Integer(),
  lastSeq: Type.Integer({ minimum: 0, description: 'Seq of the newest message (0 when empty)' }),
  lastChange: Type.Integer({ minimum: 0, description: 'Newest change-feed position (0 when none)' }),
  joinPolicy: JoinPolicy,
  joinQuestion: Type.String({ description: 'Asked of people requesting to join an approval room' }),
  membersCanInvite: Type.Boolean(),
  muteAll: Type.Boolean({ description: '全员禁言: only owner and admins may speak' }),
  slowModeSeconds: Type.Integer({ minimum: 0, description: 'Seconds between one member\'s messages (0: off)' }),
  keepImageOriginals: Type.Boolean({ description: "Photos are served as uploaded, EXIF and location included (owner's choice; default false: metadata removed)" }),
  membersProposeEvents: Type.Boolean({ description: 'Members may propose meetups, which wait for staff approval (POST /v1/events/{eventId}/approve); default false: only owner and admins create them' }),
  createdAt: Timestamp,
});
export type Room = Static<typeof Room>;

export const MyRoom = Type.Intersect([
  Room,
  Type.Object({
    role: Role,
    joinedAt: Timestamp,
    notifications: Type.Union([Type.Literal('all'), Type.Literal('mentions'), Type.Literal('none')], {
      description: 'Your do-not-disturb setting here (PUT /v1/rooms/{roomId}/members/me/notifications)',
    }),
  }),
]);
export type MyRoom = Static<typeof MyRoom>;

export const Member = Type.Object({
  user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), kind: Type.String() }),
  role: Role,
  joinedAt: Timestamp,
  nickname: Type.Union([Type.String(), Type.Null()], { description: '群昵称: display name in this room' }),
  mutedUntil: Type.Union([Timestamp, Type.Null()], { description: 'Muted until this instant (year 9999: until unmuted)' }),
});
export type Member = Static<typeof Member>;

// Attachments: photos, videos, audio and files posted in a room (shared/attachments.ts).
export { Attachment, AttachmentExif } from './attachments.ts';

/**
 * A system message stored by an older version (without the names), or an event this version does
 * not know yet. Accepted on the wire so old history still serializes; typed as nothing, so code
 * reads only the current shapes (and treats a missing name as unknown).
 */
const OtherTimelineEvent = Type.Unsafe<never>(Type.Object({ event: Type.String() }, { additionalProperties: true, title: 'other event' }));

export const MessageOrigin = Type.Object(
  {
    roomId: Id,
    roomName: Type.String({ description: 'The room as it was named when forwarded' }),
    seq: Seq,
    sender: Type.Union([Type.Object({ id: Id, displayName: Type.String() }), Type.Null()], { description: 'Who wrote the original, as named then' }),
    createdAt: Timestamp,
  },
  { description: '"Forwarded from": the original message' },
);
export type MessageOrigin = Static<typeof MessageOrigin>;

export const MessageKind = Type.Union([Type.Literal('text'), Type.Literal('system'), Type.Literal('signup'), Type.Literal('poll'), Type.Literal('event'), Type.Literal('challenge')], {
  description: 'text; system; or a community card (signup: 接龙, poll, event: a meetup, challenge: 打卡) whose data is the item (shared/community.ts)',
});
export const Message = Type.Object({
  id: Id,
  roomId: Id,
  seq: Seq,
  sender: Type.Union([
    Type.Object({
      id: Id,
      displayName: Type.String(),
      kind: Type.String(),
      deleted: Type.Optional(Type.Literal(true, { description: 'The sender deleted their account; displayName is then "deleted user"' })),
    }),
    Type.Null(),
  ]),
  kind: MessageKind,
  text: Type.String(),
  replyTo: Type.Union([Seq, Type.Null()]),
  clientMsgId: Type.Union([Type.String(), Type.Null()]),
  mentions: Type.Array(Id, { description: 'Users mentioned with @username' }),
  mentionsAll: Type.Boolean({ description: '@all was used (owner and admins only)' }),
  data: Type.Union([Type.Null(), TimelineEvent, SignupCard, PollCard, MeetupCard, ChallengeCard, CheckinNote, OtherTimelineEvent], {
    description:
      'A system message: what happened, with the names involved (shared/room-events.ts); a card (signup, poll, event): the item as it is now; on a text message null, or a photo check-in\'s note (event checkin: which challenge and period)',
  }),
  recalledAt: Type.Union([Timestamp, Type.Null()], { description: 'Set when recalled; the text is then empty for members' }),
  recalledBy: Type.Optional(
    Type.Union([Id, Type.Null()], { description: 'Who recalled it: the sender, or an owner or admin who removed it (say so: "removed by an admin")' }),
  ),
  editedAt: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'Set when the sender edited the text (show "edited"); staff read earlier versions' })),
  forwardedFrom: Type.Optional(Type.Union([MessageOrigin, Type.Null()], { description: 'Set on a forwarded message (转发): where it came from' })),
  hiddenAt: Type.Optional(
    Type.Union([Timestamp, Type.Null()], { description: 'Set while hidden pending review after reports; the text is then empty for members' }),
  ),
  attachments: Type.Array(Attachment, {
    maxItems: MAX_ATTACHMENTS,
    description: 'Photos, videos and files sent with the message, in the order given; empty for members once recalled or hidden',
  }),
  createdAt: Timestamp,
});
export type Message = Static<typeof Message>;

// ---- Requests ----

export const SignUpBody = Type.Object(
  { username: Username, password: Password, displayName: DisplayName },
  { additionalProperties: false },
);
export type SignUpBody = Static<typeof SignUpBody>;

export const SignInBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const AuthResponse = Type.Object({ user: User, token: Type.String({ description: 'Bearer token; shown once' }) });

export const DeleteAccountBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 256, description: 'The account\'s password, asked again to confirm' }) },
  { additionalProperties: false },
);
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;


export const Tag = Type.String({ minLength: 1, maxLength: 24, pattern: '^[^\\s,#]+$' });
export const CreateRoomBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    topic: Type.Optional(Type.String({ maxLength: 500 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 10, uniqueItems: true })),
    visibility: Type.Optional(RoomVisibility),
    preview: Type.Optional(Type.Boolean({ description: 'Let signed-in non-members read the newest messages (public rooms only)' })),
  },
  { additionalProperties: false },
);
export type CreateRoomBody = Static<typeof CreateRoomBody>;

export const RoomDiscoveryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Words that must all appear in the name, topic or tags, in any order' })),
    tag: Type.Optional(Tag),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type RoomDiscoveryQuery = Static<typeof RoomDiscoveryQuery>;

export const RoomParams = Type.Object({ roomId: Id }, { additionalProperties: false });

export const RoomResponse = Type.Object({ room: Room });
export const RoomListResponse = Type.Object({ rooms: Type.Array(Room) });
export const MembershipResponse = Type.Object({ room: Room, role: Role });
export const MembersResponse = Type.Object({ members: Type.Array(Member) });

export const HistoryQuery = Type.Object(
  {
    before: Type.Optional(Seq),
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const MessagePage = Type.Object({
  messages: Type.Array(Message, { description: 'Ordered by seq, oldest first' }),
  hasMore: Type.Boolean({ description: 'More messages exist beyond this page in the direction asked' }),
});
export type MessagePage = Static<typeof MessagePage>;

const ClientMsgId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Chosen by the client, unique per sender: a retry with the same id returns the original message',
});

const MessageText = Type.String({
  maxLength: MAX_TEXT_LENGTH,
  description: 'Not blank, unless the message carries attachments (then it is a caption and may be empty)',
});

export const SendMessageBody = Type.Object(
  {
    text: MessageText,
    clientMsgId: ClientMsgId,
    replyTo: Type.Optional(Seq),
    attachments: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const MessageResponse = Type.Object({ message: Message });

// ---- Socket payloads ----

export const SocketSendPayload = Type.Object(
  {
    roomId: Id,
    text: MessageText,
    clientMsgId: ClientMsgId,
    replyTo: Type.Optional(Seq),
    attachments: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);
export type SocketSendPayload = Static<typeof SocketSendPayload>;

/** A change to existing state: a recall, reactions, a pin, an announcement, room settings. */
export const Announcement = Type.Object({
  id: Id,
  roomId: Id,
  text: Type.String(),
  author: Type.Object({ id: Id, displayName: Type.String() }),
  createdAt: Timestamp,
});
export type Announcement = Static<typeof Announcement>;

const changeOf = <K extends string, P extends TSchema>(kind: K, payload: P, description: string) =>
  Type.Object(
    {
      roomId: Id,
      position: Type.Integer({ minimum: 1, description: 'Per-room change-feed position, from 1, without gaps' }),
      kind: Type.Literal(kind),
      payload,
      createdAt: Timestamp,
    },
    { title: kind, description },
  );

/** A change to existing state: a recall, reactions, a pin, an announcement, room settings; told apart by `kind`. */
export const RoomChange = Type.Union([
  changeOf('recall', RecallPayload, 'A message was recalled'),
  changeOf('reactions', ReactionsPayload, "A message's reactions changed"),
  changeOf('pin', PinPayload, 'A message was pinned'),
  changeOf('unpin', UnpinPayload, 'A message was unpinned'),
  changeOf('announcement', Type.Object({ announcement: Announcement }), 'A new announcement'),
  changeOf('room', Type.Object({ room: Type.Optional(Room), ...RoomSettingsFields }), 'Room settings changed'),
  changeOf('hidden', Type.Object({ ...HiddenFields, message: Type.Optional(Message) }), 'A message was hidden after reports, or shown again'),
  changeOf('preview', PreviewPayload, "Previews of a message's links, fetched by the server after it was sent"),
  changeOf('edit', Type.Object({ seq: Seq, editedAt: Timestamp, message: Message }), 'The sender edited a message: `message` is it as it is now'),
  changeOf('signup', SignupChangePayload, 'A 接龙 list changed (a line added, edited or removed, or the list closed): the whole list'),
  changeOf('poll', PollChangePayload, 'A poll changed (a vote, or closed): the whole poll with its tallies'),
  changeOf('event', MeetupChangePayload, 'A meetup changed (RSVPs, a promotion from the waitlist, cancelled, a reminder): the meetup as every member sees it'),
  changeOf('challenge', ChallengeChangePayload, 'A member checked in to a 打卡 challenge: the challenge with its counts, and their streak'),
  changeOf('rules', RulesChangePayload, "The room's must-read rules changed: everyone is asked to accept them again when acceptance is required"),
]);
export type RoomChange = Static<typeof RoomChange>;

const SeqCursor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const SyncCursor = Type.Union([
  SeqCursor,
  Type.Object(
    { seq: SeqCursor, change: Type.Optional(SeqCursor) },
    { additionalProperties: false, description: 'Last seen message seq and change-feed position' },
  ),
]);

export const SyncPayload = Type.Object(
  {
    cursors: Type.Record(Type.String({ pattern: UUID_PATTERN }), SyncCursor, {
      maxProperties: 1000,
      additionalProperties: false,
      description: 'roomId → the last seq seen (a number), or { seq, change } to also catch up on the change feed',
    }),
  },
  { additionalProperties: false },
);
export type SyncPayload = Static<typeof SyncPayload>;

/** Messages beyond this many behind are not replayed: the client reloads the newest page. */
export const SYNC_RESET_GAP = 1000;
export const SYNC_CHANGES_PAGE = 500;

export interface RoomSync extends MessagePage {
  /** Present when the client asked with a change cursor: changes after it, oldest first. */
  changes?: RoomChange[];
  /** The room's newest change-feed position (for the next change cursor). */
  lastChange?: number;
  /** The gap was too large to replay: `messages` is the newest page; drop local state and start over. */
  reset?: boolean;
}

export interface SyncResult {
  rooms: Record<string, RoomSync>;
  /** Rooms named in the cursors that the user does not belong to (left, kicked, or never joined). */
  notMember: string[];
}

export const AuditEntry = Type.Object({
  id: Id,
  roomId: Id,
  actorId: Type.Union([Id, Type.Null()], { description: 'null when the server acted (automatic mute, safety)' }),
  action: Type.String({ description: 'e.g. member.mute, member.ban, message.recall, safety.block' }),
  targetUserId: Type.Union([Id, Type.Null()]),
  targetSeq: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.String(),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  createdAt: Timestamp,
});
export type AuditEntry = Static<typeof AuditEntry>;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

// The socket events themselves (names, payloads, acks) are typed in shared/events.ts.

// ---- Running a group: settings, roles, joining, moderation ----

export const UpdateRoomBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    topic: Type.Optional(Type.String({ maxLength: 500 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 10, uniqueItems: true })),
    joinPolicy: Type.Optional(JoinPolicy),
    joinQuestion: Type.Optional(Type.String({ maxLength: 200 })),
    memberLimit: Type.Optional(Type.Integer({ minimum: 2, maximum: 100_000 })),
    membersCanInvite: Type.Optional(Type.Boolean()),
    keepImageOriginals: Type.Optional(Type.Boolean({ description: 'Owner only: serve photos uploaded from now on as they are, location included' })),
    visibility: Type.Optional(RoomVisibility),
    preview: Type.Optional(Type.Boolean({ description: 'Let signed-in non-members read the newest messages (public rooms only)' })),
    membersCanForward: Type.Optional(Type.Boolean({ description: 'Owner only: whether members may forward messages out of the room' })),
    membersProposeEvents: Type.Optional(Type.Boolean({ description: 'Let members propose meetups for the owner and admins to approve' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRoomBody = Static<typeof UpdateRoomBody>;

export const JoinBody = Type.Object(
  { answer: Type.Optional(Type.String({ maxLength: 500, description: "Answer to the room's join question (approval rooms)" })) },
  { additionalProperties: false },
);

export const JoinRequest = Type.Object({
  id: Id,
  roomId: Id,
  user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String() }),
  answer: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decidedBy: Type.Union([Id, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type JoinRequest = Static<typeof JoinRequest>;

export const JoinResponse = Type.Object({
  status: Type.Union([Type.Literal('joined'), Type.Literal('requested')], { description: 'joined now, or a join request awaits approval' }),
  room: Room,
  role: Type.Optional(Role),
  request: Type.Optional(JoinRequest),
  // The must-read rules, shown on joining (when the room has any); mustAccept: accept before sending.
  rules: Type.Optional(RulesResponse),
});

export const JoinRequestParams = Type.Object({ roomId: Id, requestId: Id }, { additionalProperties: false });
export const JoinRequestListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')], { default: 'pending' })) },
  { additionalProperties: false },
);

export const Invite = Type.Object({
  id: Id,
  roomId: Id,
  code: Type.String({ description: 'Share as /v1/invites/<code>' }),
  createdBy: Id,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  maxUses: Type.Union([Type.Integer(), Type.Null()]),
  uses: Type.Integer(),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type Invite = Static<typeof Invite>;

export const CreateInviteBody = Type.Object(
  {
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 90 * 24 * 3600, description: 'Omit for no expiry' })),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Omit for unlimited' })),
  },
  { additionalProperties: false },
);
export const InviteParams = Type.Object({ roomId: Id, inviteId: Id }, { additionalProperties: false });
export const InviteCodeParams = Type.Object({ code: Type.String({ minLength: 6, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });

export const MemberParams = Type.Object({ roomId: Id, userId: Id }, { additionalProperties: false });

export const SetRoleBody = Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('member')]) }, { additionalProperties: false });
export const TransferBody = Type.Object({ userId: Id }, { additionalProperties: false });
export const NicknameBody = Type.Object(
  { nickname: Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()], { description: 'null clears it' }) },
  { additionalProperties: false },
);

const Reason = Type.String({ maxLength: 500 });
export const MuteBody = Type.Object(
  {
    durationSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 24 * 3600, description: 'Omit to mute until unmuted' })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
export const BanBody = Type.Object(
  {
    userId: Id,
    durationSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 366 * 24 * 3600, description: 'Omit to ban until unbanned' })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export const Ban = Type.Object({
  user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String() }),
  bannedBy: Id,
  reason: Type.String(),
  until: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type Ban = Static<typeof Ban>;

export const MuteAllBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
export const SlowModeBody = Type.Object({ seconds: Type.Integer({ minimum: 0, maximum: 3600, description: '0 turns slow mode off' }) }, { additionalProperties: false });

export const AuditQuery = Type.Object(
  { before: Type.Optional(Timestamp), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
  { additionalProperties: false },
);

// ---- Message actions: recall, mentions, reactions, announcements, pins ----

/** At most this many different emoji on one message, so a reactions change stays small. */
export const MAX_REACTION_KINDS = 20;
export const MAX_PINS_PER_ROOM = 5;

export const MessageParams = Type.Object({ roomId: Id, seq: Seq }, { additionalProperties: false });

export const Recall = Type.Object({ roomId: Id, seq: Seq, recalledAt: Timestamp, recalledBy: Id });
export type Recall = Static<typeof Recall>;
export const RecallResponse = Type.Object({ recall: Recall });

export const RecalledMessageResponse = Type.Object({
  message: Message,
  originalText: Type.Union([Type.String(), Type.Null()], { description: 'The recalled text; null once the retention period has passed' }),
  originalAttachments: Type.Array(Attachment, {
    description: 'What the message carried; staff may still fetch the bytes until the retention period has passed (then empty)',
  }),
  recalledBy: Type.Object({ id: Id, displayName: Type.String() }),
});
export type RecalledMessageResponse = Static<typeof RecalledMessageResponse>;

export const SocketMessageRefPayload = Type.Object({ roomId: Id, seq: Seq }, { additionalProperties: false });
export type SocketMessageRefPayload = Static<typeof SocketMessageRefPayload>;

const Emoji = Type.String({ minLength: 1, maxLength: 64, description: 'One emoji (URL-encoded in paths)' });

export const ReactionParams = Type.Object({ roomId: Id, seq: Seq, emoji: Emoji }, { additionalProperties: false });

export const ReactionCount = Type.Object({
  emoji: Type.String(),
  count: Type.Integer({ minimum: 1 }),
  mine: Type.Boolean({ description: 'The viewer reacted with this emoji' }),
});
export type ReactionCount = Static<typeof ReactionCount>;

export const ReactionsResponse = Type.Object({
  roomId: Id,
  seq: Seq,
  reactions: Type.Array(ReactionCount, { description: 'Per emoji, in the order each was first used' }),
  changed: Type.Boolean({ description: 'false when the reaction was already there (add) or already gone (remove)' }),
});
export type ReactionsResponse = Static<typeof ReactionsResponse>;

export const ReactionDetails = Type.Object({
  roomId: Id,
  seq: Seq,
  reactions: Type.Array(
    Type.Object({
      emoji: Type.String(),
      count: Type.Integer({ minimum: 1 }),
      mine: Type.Boolean(),
      users: Type.Array(Type.Object({ id: Id, displayName: Type.String() }), { description: 'Who reacted, earliest first' }),
    }),
  ),
});
export type ReactionDetails = Static<typeof ReactionDetails>;

export const ReactionRangeQuery = Type.Object(
  { fromSeq: Seq, toSeq: Seq },
  { additionalProperties: false, description: `Inclusive seq range of at most ${MAX_PAGE_SIZE} messages, e.g. the history page on screen` },
);
export type ReactionRangeQuery = Static<typeof ReactionRangeQuery>;
export const ReactionRangeResponse = Type.Object({
  reactions: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Array(ReactionCount), { description: 'seq → counts; messages without reactions are absent' }),
});
export type ReactionRangeResponse = Static<typeof ReactionRangeResponse>;

export const SocketReactionPayload = Type.Object({ roomId: Id, seq: Seq, emoji: Emoji }, { additionalProperties: false });
export type SocketReactionPayload = Static<typeof SocketReactionPayload>;

export const PostAnnouncementBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) }, { additionalProperties: false });
export type PostAnnouncementBody = Static<typeof PostAnnouncementBody>;
export const PostedAnnouncementResponse = Type.Object({ announcement: Announcement });
export const CurrentAnnouncementResponse = Type.Object({
  announcement: Type.Union([Announcement, Type.Null()], { description: 'null when the room has no announcement' }),
  readByMe: Type.Boolean(),
});
export type CurrentAnnouncementResponse = Static<typeof CurrentAnnouncementResponse>;
export const AnnouncementReadResponse = Type.Object({ announcementId: Id, readAt: Timestamp });
export type AnnouncementReadResponse = Static<typeof AnnouncementReadResponse>;
export const AnnouncementReadsResponse = Type.Object({
  announcementId: Id,
  readers: Type.Array(
    Type.Object({ user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String() }), readAt: Timestamp }),
    { description: 'Current members who confirmed, earliest first (the author counts as having read it)' },
  ),
  readCount: Type.Integer({ minimum: 0 }),
  unreadCount: Type.Integer({ minimum: 0, description: 'Current members who have not confirmed' }),
});
export type AnnouncementReadsResponse = Static<typeof AnnouncementReadsResponse>;

export const Pin = Type.Object({ seq: Seq, pinnedBy: Id, pinnedAt: Timestamp, message: Message });
export type Pin = Static<typeof Pin>;
export const PinResponse = Type.Object({ pin: Pin, changed: Type.Boolean({ description: 'false when it was already pinned' }) });
export const UnpinResponse = Type.Object({ changed: Type.Boolean({ description: 'false when it was not pinned' }) });
export const PinsResponse = Type.Object({ pins: Type.Array(Pin, { description: 'Newest pin first' }), limit: Type.Integer() });

// ---- Safety: verdict reasons, review queue, per-room policy ----

export const SafetyReasonView = Type.Object({
  code: Type.String({ description: 'Stable reason code, e.g. SCAM_CONTACT_OFFPLATFORM, LINK_USERINFO_TRICK, PRIVACY_PHONE' }),
  message: Type.String({ description: 'Why, for the sender' }),
});

export const HeldMessage = Type.Object({
  id: Id,
  roomId: Id,
  sender: Type.Object({ id: Id, displayName: Type.String() }),
  clientMsgId: Type.String(),
  text: Type.String(),
  replyTo: Type.Union([Type.Integer(), Type.Null()]),
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()), detail: Type.Optional(Type.String()) })),
  attachments: Type.Array(Attachment, { description: 'Uploads sent with the held message; approval delivers them with it' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decidedBy: Type.Union([Id, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  messageId: Type.Union([Id, Type.Null()], { description: 'The delivered message, once approved' }),
  createdAt: Timestamp,
});
export type HeldMessage = Static<typeof HeldMessage>;

/** An attachment the safety rules held, as reviewers see it (GET /v1/rooms/{roomId}/review). */
export const HeldAttachment = Type.Object({
  attachment: Attachment,
  uploader: Type.Object({ id: Id, displayName: Type.String() }),
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()), detail: Type.Optional(Type.String()) }), {
    description: 'The verdict in full, e.g. QR_CODE_LINK with LINK_SHORTENER, FILE_MOBILE_APP, IMAGE_REPEATED_ACROSS_ROOMS',
  }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')], { description: 'approved: now ready; rejected: now blocked' }),
  decidedBy: Type.Union([Id, Type.Null()], { description: 'null while pending, and for an upload rejected because nobody decided within ATTACHMENT_HELD_DAYS' }),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
});
export type HeldAttachment = Static<typeof HeldAttachment>;

const Strictness = Type.Union([Type.Literal('off'), Type.Literal('lenient'), Type.Literal('standard'), Type.Literal('strict')]);
const KeywordList = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 });
const RiskyFileAction = Type.Union([Type.Literal('block'), Type.Literal('hold'), Type.Literal('allow')]);
const DomainList = Type.Array(Type.String({ minLength: 3, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' }), { maxItems: 200 });

export const SafetyPolicy = Type.Object(
  {
    strictness: Type.Optional(
      Type.Union([Type.Literal('relaxed'), Type.Literal('standard'), Type.Literal('strict')], {
        description:
          "The room's overall strictness (default standard): the defaults for every rule's level, probation, privacy action, auto-mute, risky files, @all cap and raid shield " +
          '(shared/safety-presets.ts, docs/safety.md); what the room sets itself below still wins',
      }),
    ),
    rules: Type.Optional(
      Type.Object(
        {
          rate: Type.Optional(Strictness),
          flood: Type.Optional(Strictness),
          probation: Type.Optional(Strictness),
          links: Type.Optional(Strictness),
          scam: Type.Optional(Strictness),
          privacy: Type.Optional(Strictness),
          keywords: Type.Optional(Strictness),
          harassment: Type.Optional(Strictness),
          files: Type.Optional(Strictness),
          qr: Type.Optional(Strictness),
          repeats: Type.Optional(Strictness),
          model: Type.Optional(Strictness),
          precedents: Type.Optional(Strictness),
        },
        { additionalProperties: false },
      ),
    ),
    keywords: Type.Optional(
      Type.Object({ block: Type.Optional(KeywordList), hold: Type.Optional(KeywordList), flag: Type.Optional(KeywordList) }, { additionalProperties: false }),
    ),
    allowedDomains: Type.Optional(DomainList),
    deniedDomains: Type.Optional(DomainList),
    exemptRoles: Type.Optional(Type.Array(Role, { uniqueItems: true })),
    probationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 24 * 3600 })),
    privacyAction: Type.Optional(Type.Union([Type.Literal('flag'), Type.Literal('hold')])),
    autoMute: Type.Optional(
      Type.Object(
        {
          offences: Type.Integer({ minimum: 0, maximum: 100, description: '0 turns automatic muting off' }),
          windowSeconds: Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 }),
          muteSeconds: Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 }),
        },
        { additionalProperties: false },
      ),
    ),
    attachments: Type.Optional(
      Type.Object(
        {
          riskyFiles: Type.Optional(
            Type.Object(
              { newcomers: Type.Optional(RiskyFileAction), established: Type.Optional(RiskyFileAction) },
              {
                additionalProperties: false,
                description:
                  'Programs, phone apps, scripts, installers, macro documents and password-protected archives: block (415 ATTACHMENT_TYPE_REFUSED), ' +
                  'hold for review, or allow; newcomers are members still in probation. Defaults: block for newcomers, hold for the others. Archive bombs are always refused.',
              },
            ),
          ),
          repeatRooms: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'The same picture reaching this many rooms within the window is held (default 3; 0: off)' })),
          repeatWindowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600, description: 'Default 3600' })),
        },
        { additionalProperties: false },
      ),
    ),
    raid: Type.Optional(
      Type.Object(
        {
          joins: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Joins within windowSeconds that raise the shield (default 0: off; 20 suits a room that fears raids)' }),
          windowSeconds: Type.Integer({ minimum: 1, maximum: 3600, description: 'Default 60' }),
          shieldSeconds: Type.Integer({ minimum: 5, maximum: 7 * 24 * 3600, description: 'How long new members need approval and slow mode holds (default 1800)' }),
          slowModeSeconds: Type.Integer({ minimum: 0, maximum: 3600, description: 'Slow mode while shielded (default 30; a slower one already set is kept)' }),
        },
        {
          additionalProperties: false,
          description: 'Raid shield: a wave of joins into an open room switches it to approval with slow mode for shieldSeconds and tells everyone in a system message (room.raidShield); it returns by itself (room.raidShieldLifted)',
        },
      ),
    ),
    mentionAllPerDay: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: '@all (@所有人) messages the staff may send in any 24 hours (default 10; 0: none); one more is 429 MENTION_ALL_LIMIT' }),
    ),
  },
  { additionalProperties: false, description: 'Per-room safety tuning; omitted fields keep their defaults' },
);
export type SafetyPolicy = Static<typeof SafetyPolicy>;

// ---- Read state, typing and presence ----

/** Unread counts stop at this many: a client shows e.g. "999+" from there. */
export const UNREAD_COUNT_LIMIT = 1000;
/** The server relays at most one typing indicator per user and room in this many milliseconds. */
export const TYPING_INTERVAL_MS = 2000;

const ReadSeq = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: "Seq of the newest message read; beyond the room's lastSeq it is clamped to lastSeq",
});
const unreadCount = (description: string) => Type.Integer({ minimum: 0, maximum: UNREAD_COUNT_LIMIT, description });

export const RoomReadState = Type.Object({
  lastReadSeq: Type.Integer({ minimum: 0, description: 'Your read position: every message up to this seq counts as read' }),
  unread: unreadCount('Text messages after lastReadSeq not sent by you (system, recalled and hidden messages not counted)'),
  unreadMentions: unreadCount("Of those, the ones that alert you: mentions of you or @all; with notifications 'none', mentions of you only"),
  badge: unreadCount("What the room's badge shows under your notifications setting: unread ('all'), unreadMentions ('mentions'), 0 ('none')"),
});
export type RoomReadState = Static<typeof RoomReadState>;

export const MyRoomWithReadState = Type.Intersect([MyRoom, RoomReadState]);
export type MyRoomWithReadState = Static<typeof MyRoomWithReadState>;
/** `GET /v1/me`: the user and their rooms, each with its read state. */
export const MeResponse = Type.Object({ user: User, rooms: Type.Array(MyRoomWithReadState) });

export const ReadBody = Type.Object({ seq: ReadSeq }, { additionalProperties: false });
export type ReadBody = Static<typeof ReadBody>;
export const SocketReadPayload = Type.Object({ roomId: Id, seq: ReadSeq }, { additionalProperties: false });
export type SocketReadPayload = Static<typeof SocketReadPayload>;

/** The answer to a read (HTTP and ack) and the `read` event to the user's sockets. */
export const ReadPosition = Type.Object({
  roomId: Id,
  seq: Type.Integer({ minimum: 0, description: 'The stored read position (never moves back)' }),
  unread: unreadCount('Unread after this position, as in GET /v1/me'),
  unreadMentions: unreadCount('Unread mentions of you or @all after this position (of you only with notifications none)'),
  badge: unreadCount('The badge under your notifications setting, as in GET /v1/me'),
});
export type ReadPosition = Static<typeof ReadPosition>;

export const SocketTypingPayload = Type.Object({ roomId: Id }, { additionalProperties: false });
export type SocketTypingPayload = Static<typeof SocketTypingPayload>;

export const OnlineUser = Type.Object({ id: Id, displayName: Type.String() });

/** The `typing` event to the room's other members. */
export const TypingEvent = Type.Object({ roomId: Id, user: OnlineUser });
export type TypingEvent = Static<typeof TypingEvent>;

/** The `presence` event to a room when a member's first socket connects or last one goes. */
export const PresenceEvent = Type.Object({ roomId: Id, userId: Id, online: Type.Boolean() });
export type PresenceEvent = Static<typeof PresenceEvent>;

export const RoomPresence = Type.Object({
  online: Type.Array(OnlineUser, { description: 'Members with at least one connected socket' }),
  count: Type.Integer({ minimum: 0 }),
});
export type RoomPresence = Static<typeof RoomPresence>;

// ---- Safety: per-room policy API, review queue decisions, reports ----

export const SafetyPolicyResponse = Type.Object({
  policy: SafetyPolicy,
  stored: SafetyPolicy,
});
export type SafetyPolicyResponse = Static<typeof SafetyPolicyResponse>;

export const ReportReason = Type.Union([Type.Literal('spam'), Type.Literal('scam'), Type.Literal('harassment'), Type.Literal('privacy'), Type.Literal('other')]);
export type ReportReason = Static<typeof ReportReason>;

export const ReportBody = Type.Object(
  { reason: ReportReason, note: Type.Optional(Type.String({ maxLength: 500, description: 'Shown to owner and admins only' })) },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

const ReportStatus = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')]);

export const Report = Type.Object({
  id: Id,
  roomId: Id,
  seq: Seq,
  reason: ReportReason,
  note: Type.String(),
  status: ReportStatus,
  createdAt: Timestamp,
});
export type Report = Static<typeof Report>;
export const ReportResponse = Type.Object({ report: Report });

/** A reported message as reviewers see it: its stored text (even while hidden) and every report. */
export const ReportedMessage = Type.Object({
  roomId: Id,
  seq: Seq,
  sender: Type.Union([Type.Object({ id: Id, displayName: Type.String() }), Type.Null()]),
  text: Type.String({ description: 'The stored text, also while hidden; empty once a recalled text is erased' }),
  createdAt: Timestamp,
  hiddenAt: Type.Union([Timestamp, Type.Null()]),
  recalledAt: Type.Union([Timestamp, Type.Null()]),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')], {
    description: 'open while any report is open; otherwise how the newest decision closed them',
  }),
  openReports: Type.Integer({ minimum: 0 }),
  reports: Type.Array(
    Type.Object({ id: Id, reporter: Type.Object({ id: Id, displayName: Type.String() }), reason: ReportReason, note: Type.String(), status: ReportStatus, createdAt: Timestamp }),
    { description: 'Oldest first' },
  ),
});
export type ReportedMessage = Static<typeof ReportedMessage>;

export const ReviewQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('held'), Type.Literal('reports')], { default: 'all' })),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided')], { default: 'open', description: 'open: waiting for a decision (oldest first); decided: the newest 100 decisions' })),
  },
  { additionalProperties: false },
);
export type ReviewQuery = Static<typeof ReviewQuery>;

export const ReviewQueueResponse = Type.Object({
  held: Type.Array(HeldMessage, { description: 'Messages the safety rules held (empty with kind=reports)' }),
  reported: Type.Array(ReportedMessage, { description: 'Messages members reported (empty with kind=held)' }),
  attachments: Type.Array(HeldAttachment, {
    description: 'Attachments the safety rules held (empty with kind=reports); staff may fetch their bytes at GET /v1/attachments/{id} to decide',
  }),
});
export type ReviewQueueResponse = Static<typeof ReviewQueueResponse>;

export const HeldParams = Type.Object({ roomId: Id, heldId: Id }, { additionalProperties: false });
export const HeldAttachmentParams = Type.Object({ roomId: Id, attachmentId: Id }, { additionalProperties: false });
export const AttachmentDecisionResponse = Type.Object({ held: HeldAttachment });
export type AttachmentDecisionResponse = Static<typeof AttachmentDecisionResponse>;
export const HeldDecisionResponse = Type.Object({
  held: HeldMessage,
  message: Type.Optional(Message),
});
export type HeldDecisionResponse = Static<typeof HeldDecisionResponse>;

export const ReportDecisionResponse = Type.Object({
  roomId: Id,
  seq: Seq,
  status: Type.Union([Type.Literal('dismissed'), Type.Literal('removed')]),
  reportsClosed: Type.Integer({ minimum: 0 }),
});
export type ReportDecisionResponse = Static<typeof ReportDecisionResponse>;

/** `review:decided` to the room's staff (and, for a held message or attachment, its sender). */
export type ReviewDecidedEvent =
  | { roomId: string; kind: 'held'; heldId: string; clientMsgId: string; status: 'approved' | 'rejected'; message?: Message }
  /** `expired`: nobody decided within ATTACHMENT_HELD_DAYS, so it was rejected automatically. */
  | { roomId: string; kind: 'attachment'; attachmentId: string; status: 'approved' | 'rejected'; attachment: Attachment; expired?: true }
  | { roomId: string; kind: 'report'; seq: number; status: 'dismissed' | 'removed' }
  | { roomId: string; kind: 'signupEntry'; signupId: string; userId: string; status: 'approved' | 'rejected'; position?: number }
  /** Staff decided a member's meetup proposal; to the staff and the proposer (`reason`: theirs, when rejecting with one). */
  | { roomId: string; kind: 'eventProposal'; eventId: string; title: string; userId: string; status: 'approved' | 'rejected'; reason?: string | null };

// ---- Bots: accounts, scoped tokens, incoming webhooks, outgoing events, slash commands, schedules (docs/bots.md) ----

export const BOT_SCOPES = ['messages:write', 'messages:read', 'announcements:write', 'events:receive', 'attachments:write'] as const;
export const BotScope = Type.Union(BOT_SCOPES.map((scope) => Type.Literal(scope)) as [ReturnType<typeof Type.Literal<(typeof BOT_SCOPES)[number]>>]);
export type BotScope = (typeof BOT_SCOPES)[number];

export const BOT_EVENTS = ['message', 'mention', 'member.joined', 'command'] as const;
export const BotEventName = Type.Union(BOT_EVENTS.map((event) => Type.Literal(event)) as [ReturnType<typeof Type.Literal<(typeof BOT_EVENTS)[number]>>]);
export type BotEventName = (typeof BOT_EVENTS)[number];

const HttpUrl = Type.String({ minLength: 8, maxLength: 2000, format: 'uri' });

export const BotWebhook = Type.Object({
  url: Type.Union([Type.String(), Type.Null()], { description: 'Where events are POSTed; null when none is registered' }),
  events: Type.Array(BotEventName),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused')], { description: 'paused after too many failed attempts in a row' }),
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  pausedAt: Type.Union([Timestamp, Type.Null()]),
});
export type BotWebhook = Static<typeof BotWebhook>;

export const Bot = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  ownerId: Id,
  webhook: BotWebhook,
  createdAt: Timestamp,
});
export type Bot = Static<typeof Bot>;

export const CreateBotBody = Type.Object(
  {
    name: DisplayName,
    avatarUrl: Type.Optional(HttpUrl),
    roomId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateBotBody = Static<typeof CreateBotBody>;

export const UpdateBotBody = Type.Object(
  { name: Type.Optional(DisplayName), avatarUrl: Type.Optional(Type.Union([HttpUrl, Type.Null()])) },
  { additionalProperties: false },
);
export type UpdateBotBody = Static<typeof UpdateBotBody>;

export const BotParams = Type.Object({ botId: Id }, { additionalProperties: false });
export const BotTokenParams = Type.Object({ botId: Id, tokenId: Id }, { additionalProperties: false });
export const RoomBotParams = Type.Object({ roomId: Id, botId: Id }, { additionalProperties: false });
export const BotResponse = Type.Object({ bot: Bot });
export const BotListResponse = Type.Object({ bots: Type.Array(Bot) });
export const AddBotToRoomBody = Type.Object({ botId: Id }, { additionalProperties: false });

export const BotToken = Type.Object({
  id: Id,
  botId: Id,
  name: Type.String(),
  scopes: Type.Array(BotScope),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type BotToken = Static<typeof BotToken>;

export const CreateBotTokenBody = Type.Object(
  { scopes: Type.Array(BotScope, { minItems: 1, uniqueItems: true }), name: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
export type CreateBotTokenBody = Static<typeof CreateBotTokenBody>;

export const IssuedBotTokenResponse = Type.Object({
  token: BotToken,
  secret: Type.String({ description: 'Use as `Authorization: Bot <secret>`. Shown only now; the server keeps only its hash' }),
});
export type IssuedBotTokenResponse = Static<typeof IssuedBotTokenResponse>;
export const BotTokenListResponse = Type.Object({ tokens: Type.Array(BotToken) });

export const SetBotWebhookBody = Type.Object(
  {
    url: HttpUrl,
    events: Type.Array(BotEventName, { minItems: 1, uniqueItems: true }),
    rotateSecret: Type.Optional(Type.Boolean({ description: 'Issue a new signing secret (a new endpoint always gets one)' })),
  },
  { additionalProperties: false },
);
export type SetBotWebhookBody = Static<typeof SetBotWebhookBody>;

export const BotWebhookResponse = Type.Object({
  webhook: BotWebhook,
  signingSecret: Type.Optional(Type.String({ description: 'HMAC-SHA256 key for X-Quanzi-Signature; returned only when issued' })),
});
export type BotWebhookResponse = Static<typeof BotWebhookResponse>;

export const BotDeliveryAttempt = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
});
export const BotDelivery = Type.Object({
  id: Id,
  event: BotEventName,
  roomId: Type.Union([Id, Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  log: Type.Array(BotDeliveryAttempt, { description: 'Every attempt, oldest first' }),
});
export type BotDelivery = Static<typeof BotDelivery>;
export const BotDeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) },
  { additionalProperties: false },
);
export const BotDeliveriesResponse = Type.Object({ deliveries: Type.Array(BotDelivery, { description: 'Newest first' }) });

/** What a receiver gets: the JSON body of every delivery. */
export interface BotEventEnvelope {
  id: string;
  event: BotEventName;
  botId: string;
  roomId: string | null;
  createdAt: string;
  /** For message, mention and command: the stored message. */
  message?: Message;
  /** For command: `/remind Saturday 10:00` → { name: 'remind', args: 'Saturday 10:00' }. */
  command?: { name: string; args: string };
  /** For member.joined: who joined. */
  user?: { id: string; displayName: string };
}

export const SlashCommand = Type.Object({
  command: Type.String({ pattern: '^[a-z0-9_]{1,32}$', description: 'Without the slash, lowercase' }),
  description: Type.Optional(Type.String({ maxLength: 200 })),
});
export const SetBotCommandsBody = Type.Object(
  { commands: Type.Array(SlashCommand, { maxItems: 50 }) },
  { additionalProperties: false },
);
export type SetBotCommandsBody = Static<typeof SetBotCommandsBody>;
export const RoomCommand = Type.Object({ command: Type.String(), description: Type.String(), botId: Id, botName: Type.String() });
export const RoomCommandsResponse = Type.Object({ commands: Type.Array(RoomCommand) });
export type RoomCommandsResponse = Static<typeof RoomCommandsResponse>;

export const IncomingWebhook = Type.Object({
  id: Id,
  roomId: Id,
  name: Type.String(),
  botId: Id,
  createdBy: Id,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type IncomingWebhook = Static<typeof IncomingWebhook>;
export const CreateIncomingWebhookBody = Type.Object(
  { name: DisplayName, botId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type CreateIncomingWebhookBody = Static<typeof CreateIncomingWebhookBody>;
export const CreatedIncomingWebhookResponse = Type.Object({
  hook: IncomingWebhook,
  url: Type.String({ description: 'Path to POST to: /v1/hooks/:hookId/:secret. Shown only now' }),
});
export const IncomingWebhookListResponse = Type.Object({ hooks: Type.Array(IncomingWebhook) });
export const HookParams = Type.Object({ roomId: Id, hookId: Id }, { additionalProperties: false });
export const HookPostParams = Type.Object({ hookId: Type.String({ maxLength: 64 }), secret: Type.String({ maxLength: 128 }) });

/** `{ text }`, or a Slack-style payload: `blocks` are flattened to text, other Slack fields ignored. */
export const HookPostBody = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: MAX_TEXT_LENGTH })),
    blocks: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 50 })),
    username: Type.Optional(Type.String({ maxLength: 64 })),
    clientMsgId: Type.Optional(ClientMsgId),
  },
  { additionalProperties: true },
);
export type HookPostBody = Static<typeof HookPostBody>;

const Weekday = Type.Union(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => Type.Literal(d)) as [ReturnType<typeof Type.Literal<string>>]);
const LocalTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM in the schedule’s time zone' });
export const ScheduleSpec = Type.Union([
  Type.Object({ type: Type.Literal('once'), at: Timestamp }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('daily'), time: LocalTime }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('weekly'), days: Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true }), time: LocalTime }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('interval'), everySeconds: Type.Integer({ minimum: 1, maximum: 31 * 86_400 }) }, { additionalProperties: false }),
]);
export type ScheduleSpec =
  | { type: 'once'; at: string }
  | { type: 'daily'; time: string }
  | { type: 'weekly'; days: Array<'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat'>; time: string }
  | { type: 'interval'; everySeconds: number };

export const CreateScheduledPostBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('message'), Type.Literal('announcement')]),
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }),
    schedule: ScheduleSpec,
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai (default UTC)' })),
  },
  { additionalProperties: false },
);
export type CreateScheduledPostBody = Omit<Static<typeof CreateScheduledPostBody>, 'schedule'> & { schedule: ScheduleSpec };

export const ScheduledPost = Type.Object({
  id: Id,
  roomId: Id,
  authorId: Id,
  kind: Type.Union([Type.Literal('message'), Type.Literal('announcement')]),
  text: Type.String(),
  schedule: ScheduleSpec,
  timeZone: Type.String(),
  nextRunAt: Type.Union([Timestamp, Type.Null()], { description: 'null once a one-off has fired' }),
  runs: Type.Integer({ minimum: 0 }),
  lastRunAt: Type.Union([Timestamp, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});
export type ScheduledPost = Omit<Static<typeof ScheduledPost>, 'schedule'> & { schedule: ScheduleSpec };
export const ScheduledPostResponse = Type.Object({ schedule: ScheduledPost });
export const ScheduledPostListResponse = Type.Object({ schedules: Type.Array(ScheduledPost) });
export const ScheduleParams = Type.Object({ roomId: Id, scheduleId: Id }, { additionalProperties: false });

// ---- Room export (owner and admins): GET /v1/rooms/:roomId/export, one JSON object a line ----

export const ROOM_EXPORT_FORMAT = 'quanzi.room-export';
export const ROOM_EXPORT_VERSION = 1;

const ExportSender = Type.Union([
  Type.Object({ id: Id, displayName: Type.String(), kind: Type.String(), deleted: Type.Optional(Type.Literal(true)) }),
  Type.Null(),
]);

export const RoomExportLine = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('export'),
        format: Type.Literal(ROOM_EXPORT_FORMAT),
        version: Type.Literal(ROOM_EXPORT_VERSION),
        roomId: Id,
        roomName: Type.String(),
        exportedAt: Timestamp,
        exportedBy: Type.Object({ id: Id, displayName: Type.String() }),
        throughSeq: Type.Integer({ minimum: 0, description: 'The room\'s newest seq when the export began: messages after it are not in this file' }),
      },
      { title: 'export', description: 'Always the first line' },
    ),
    Type.Object({ type: Type.Literal('room'), room: Room }, { title: 'room', description: 'The room\'s settings' }),
    Type.Object(
      {
        type: Type.Literal('member'),
        user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), kind: Type.String() }),
        role: Role,
        joinedAt: Timestamp,
        nickname: Type.Union([Type.String(), Type.Null()]),
      },
      { title: 'member' },
    ),
    Type.Object(
      {
        type: Type.Literal('announcement'),
        id: Id,
        text: Type.String(),
        author: Type.Object({ id: Id, displayName: Type.String() }),
        current: Type.Boolean(),
        createdAt: Timestamp,
      },
      { title: 'announcement', description: 'Every announcement the room had, oldest first' },
    ),
    Type.Object(
      {
        type: Type.Literal('message'),
        seq: Seq,
        id: Id,
        kind: MessageKind,
        sender: ExportSender,
        createdAt: Timestamp,
        text: Type.Optional(Type.String({ description: 'Absent for a recalled or hidden message' })),
        replyTo: Type.Optional(Type.Union([Seq, Type.Null()])),
        mentions: Type.Optional(Type.Array(Id)),
        mentionsAll: Type.Optional(Type.Boolean()),
        data: Type.Optional(Type.Union([Type.Null(), TimelineEvent, SignupCard, PollCard, MeetupCard, ChallengeCard, OtherTimelineEvent], { description: "A system message's event and its facts (shared/room-events.ts), or a community card's item (shared/community.ts)" })),
        attachments: Type.Optional(Type.Array(Attachment, { description: 'What the message carried (metadata; the bytes are fetched by id)' })),
        reactions: Type.Optional(Type.Array(Type.Object({ emoji: Type.String(), count: Type.Integer({ minimum: 1 }) }))),
        recalled: Type.Optional(Type.Literal(true)),
        recalledAt: Type.Optional(Timestamp),
        recalledBy: Type.Optional(Type.Union([Type.Object({ id: Id, displayName: Type.String() }), Type.Null()])),
        hidden: Type.Optional(Type.Literal(true, { description: 'Hidden pending review after reports: a placeholder, as members see it' })),
        hiddenAt: Type.Optional(Timestamp),
      },
      { title: 'message', description: 'In seq order. A recalled message is a tombstone (recalled, recalledAt, recalledBy; no text)' },
    ),
    Type.Object(
      {
        type: Type.Literal('end'),
        messages: Type.Integer({ minimum: 0, description: 'Message lines written, tombstones included' }),
        recalled: Type.Integer({ minimum: 0 }),
        hidden: Type.Integer({ minimum: 0 }),
        members: Type.Integer({ minimum: 0 }),
        announcements: Type.Integer({ minimum: 0 }),
        throughSeq: Type.Integer({ minimum: 0 }),
      },
      { title: 'end', description: 'Always the last line: a file without it was cut short' },
    ),
  ],
  { description: 'One line of a room export' },
);
export type RoomExportLine = Static<typeof RoomExportLine>;


export const AttachmentResponse = Type.Object({ attachment: Attachment });
export const AttachmentParams = Type.Object({ id: Id }, { additionalProperties: false });

// The room's album (群相册) and files (群文件): attachments of sent messages, newest first (docs/protocol.md, "Album and files").

export const ROOM_MEDIA_DEFAULT_PAGE = 50;
export const ROOM_MEDIA_MAX_PAGE = 100;

const RoomMediaCursor = Type.String({
  pattern: '^[1-9][0-9]{0,15}(\\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$',
  description: 'The `nextBefore` of the previous page; a bare seq also works (the attachments of messages older than that seq)',
});

export const AlbumQuery = Type.Object(
  {
    before: Type.Optional(RoomMediaCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ROOM_MEDIA_MAX_PAGE, default: ROOM_MEDIA_DEFAULT_PAGE })),
  },
  { additionalProperties: false },
);
export type AlbumQuery = Static<typeof AlbumQuery>;

export const FilesQuery = Type.Object(
  {
    before: Type.Optional(RoomMediaCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ROOM_MEDIA_MAX_PAGE, default: ROOM_MEDIA_DEFAULT_PAGE })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the file name, any case (% and _ are plain characters)' })),
  },
  { additionalProperties: false },
);
export type FilesQuery = Static<typeof FilesQuery>;

export const RoomMediaItem = Type.Object({
  attachment: Attachment,
  message: Type.Object(
    { seq: Seq, sender: Message.properties.sender, createdAt: Timestamp },
    { description: 'The message that carries the attachment' },
  ),
});
export type RoomMediaItem = Static<typeof RoomMediaItem>;

export const RoomMediaPage = Type.Object({
  items: Type.Array(RoomMediaItem, { description: "Newest message first; one message's attachments are adjacent" }),
  nextBefore: Type.Union([RoomMediaCursor, Type.Null()], { description: 'Pass as `before` for the next, older page; null: this was the last page' }),
});
export type RoomMediaPage = Static<typeof RoomMediaPage>;

// ---- Everyday group life: look before joining, search, edit, forward ----

export const RoomPreviewResponse = Type.Object({
  room: Room,
  announcement: Type.Union([Announcement, Type.Null()]),
  messages: Type.Array(Message, { description: 'The newest messages (at most 50), oldest first; reactions, members and presence are not shown' }),
});
export type RoomPreviewResponse = Static<typeof RoomPreviewResponse>;

export const MAX_SEARCH_QUERY_LENGTH = 100;
const SearchText = Type.String({
  minLength: 1,
  maxLength: MAX_SEARCH_QUERY_LENGTH,
  description: 'Words that must all appear (case-insensitive): Chinese, Japanese and Korean anywhere in the text (摄影 finds 我喜欢胶片摄影), other words by their beginning (film finds Film and filmmaking)',
});
export const RoomSearchQuery = Type.Object(
  {
    q: SearchText,
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only messages with a smaller seq (the next page: the last result\'s seq)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
  },
  { additionalProperties: false },
);
export type RoomSearchQuery = Static<typeof RoomSearchQuery>;
export const SearchQuery = Type.Object(
  {
    q: SearchText,
    before: Type.Optional(Type.String({ maxLength: 100, description: 'The `next` cursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const Highlight = Type.Object(
  { start: Type.Integer({ minimum: 0 }), end: Type.Integer({ minimum: 0 }) },
  { description: 'A matched span of message.text: [start, end) in UTF-16 code units, as JavaScript indexes strings' },
);
export const SearchResult = Type.Object({ message: Message, highlights: Type.Array(Highlight, { description: 'In text order, not overlapping' }) });
export type SearchResult = Static<typeof SearchResult>;
export const SearchResponse = Type.Object({
  results: Type.Array(SearchResult, { description: 'Newest first' }),
  hasMore: Type.Boolean(),
  next: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'GET /v1/search: pass as `before` for the next page (null at the end)' })),
});
export type SearchResponse = Static<typeof SearchResponse>;

export const EditMessageBody = Type.Object({ text: MessageText }, { additionalProperties: false });
export type EditMessageBody = Static<typeof EditMessageBody>;
export const SocketEditPayload = Type.Object({ roomId: Id, seq: Seq, text: MessageText }, { additionalProperties: false });
export type SocketEditPayload = Static<typeof SocketEditPayload>;

export const MessageVersion = Type.Object({
  version: Type.Integer({ minimum: 1, description: '1 is the text as sent' }),
  text: Type.String(),
  replacedAt: Timestamp,
});
export const MessageVersionsResponse = Type.Object({
  message: Message,
  versions: Type.Array(MessageVersion, { description: 'Earlier texts, oldest first; the message holds the current one' }),
});
export type MessageVersionsResponse = Static<typeof MessageVersionsResponse>;

export const ForwardMessageBody = Type.Object({ toRoomId: Id, clientMsgId: ClientMsgId }, { additionalProperties: false });
export type ForwardMessageBody = Static<typeof ForwardMessageBody>;
