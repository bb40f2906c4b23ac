/**
 * Wire contract v1, the people side: profiles, privacy, blocks, direct messages and message
 * requests, do-not-disturb, and the site-level review queue. Rooms and messages are in schemas.ts;
 * a DM is a room of kind 'dm', so its history, sync, read state and recall are the room API's.
 */
import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './primitives.ts';
import { Attachment, DisplayName, MAX_TEXT_LENGTH, Message, ReportReason, Room } from './schemas.ts';

export const MAX_BIO_LENGTH = 280;

// ---- Profiles and privacy ----

export const DmsFrom = Type.Union([Type.Literal('anyone'), Type.Literal('room-members'), Type.Literal('contacts'), Type.Literal('nobody')], {
  description:
    "Who may message you directly: 'anyone'; 'room-members' (people sharing a room with you, and contacts); 'contacts' (people you already have a DM with); " +
    "'nobody' (no DMs and no message requests). Everyone else, except with 'nobody', can send one message request.",
});
export type DmsFrom = Static<typeof DmsFrom>;

export const Privacy = Type.Object({
  dmsFrom: DmsFrom,
  showPresence: Type.Boolean({ description: 'false: you are never shown online, in any room' }),
});
export type Privacy = Static<typeof Privacy>;
export const PrivacyBody = Type.Object({ dmsFrom: Type.Optional(DmsFrom), showPresence: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type PrivacyBody = Static<typeof PrivacyBody>;
export const PrivacyResponse = Type.Object({ privacy: Privacy });

export const UpdateProfileBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    bio: Type.Optional(Type.String({ maxLength: MAX_BIO_LENGTH, description: "Shown on your profile card; '' clears it" })),
    avatarAttachmentId: Type.Optional(
      // A plain uuid string (not Id with its own description), so OpenAPI says `nullable` rather than anyOf.
      Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'A picture you uploaded (POST /v1/rooms/{roomId}/attachments), ready; null removes the avatar' }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateProfileBody = Static<typeof UpdateProfileBody>;

/** What anyone signed in sees of a user: only what they chose to show. */
export const PublicProfile = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.Union([Type.Literal('user'), Type.Literal('bot')]),
  bio: Type.String(),
  avatar: Type.Union([Attachment, Type.Null()], { description: 'Its bytes and renditions load from /v1/attachments/{id} for anyone signed in' }),
  online: Type.Optional(Type.Boolean({ description: 'Absent when the user hides their presence' })),
  deleted: Type.Optional(Type.Literal(true)),
});
export type PublicProfile = Static<typeof PublicProfile>;
export const ProfileResponse = Type.Object({ profile: PublicProfile });
export const UserParams = Type.Object({ userId: Id }, { additionalProperties: false });

// ---- Blocks ----

export const BlockedUser = Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), blockedAt: Timestamp });
export const BlocksResponse = Type.Object({ blocks: Type.Array(BlockedUser) });

// ---- Direct messages ----

export const SendDmBody = Type.Object(
  {
    userId: Id,
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }),
    clientMsgId: Type.String({ minLength: 1, maxLength: 64, description: 'As for room messages: a retry with the same id returns the original' }),
  },
  { additionalProperties: false },
);
export type SendDmBody = Static<typeof SendDmBody>;

const UserSummary = Type.Object({ id: Id, username: Type.String(), displayName: Type.String() });

export const DmRequest = Type.Object({
  id: Id,
  sender: UserSummary,
  recipient: UserSummary,
  text: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('ignored'), Type.Literal('reported')], {
    description: "The sender always sees 'pending' until accepted: an ignored or reported request is not announced",
  }),
  roomId: Type.Union([Id, Type.Null()], { description: 'The DM room, once accepted' }),
  createdAt: Timestamp,
});
export type DmRequest = Static<typeof DmRequest>;

export const DmSentResponse = Type.Object({ room: Room, message: Message });
export const DmRequestedResponse = Type.Object({ status: Type.Literal('requested'), request: DmRequest });
export const DmRequestsResponse = Type.Object({
  requests: Type.Array(DmRequest, { description: 'Pending requests to you, newest first (none from people you blocked)' }),
  sent: Type.Array(DmRequest, { description: 'Your requests not yet accepted, newest first' }),
});
export const DmRequestParams = Type.Object({ requestId: Id }, { additionalProperties: false });
export const DmReportBody = Type.Object(
  { reason: ReportReason, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const DmConversation = Type.Object({ room: Room, peer: UserSummary });
export const DmListResponse = Type.Object({ conversations: Type.Array(DmConversation, { description: 'Newest message first' }) });

/** `dm:request` to the recipient of a new message request. */
export interface DmRequestEvent {
  request: DmRequest;
}
/** `dm:opened` to both people when their DM room is created (directly, or by accepting a request). */
export interface DmOpenedEvent {
  room: Room;
  peerIds: string[];
}

// ---- Do-not-disturb ----

export const NotificationMode = Type.Union([Type.Literal('all'), Type.Literal('mentions'), Type.Literal('none')], {
  description:
    "'all': every message counts towards the badge; 'mentions': only messages that mention you or @all; 'none' (消息免打扰): no badge, and only @you alerts",
});
export type NotificationMode = Static<typeof NotificationMode>;
export const NotificationsBody = Type.Object({ mode: NotificationMode }, { additionalProperties: false });
export const NotificationsResponse = Type.Object({ roomId: Id, mode: NotificationMode });
/** `member:notifications` to the member's own sockets (their other devices). */
export interface MemberNotificationsEvent {
  roomId: string;
  mode: NotificationMode;
}

// ---- Reports outside rooms and the site-level review queue ----

export const SiteReportBody = DmReportBody;
export const SiteReportKind = Type.Union([Type.Literal('request'), Type.Literal('user'), Type.Literal('room'), Type.Literal('dm-message')]);
export const SiteReportOutcome = Type.Union([Type.Literal('dismissed'), Type.Literal('actioned')]);
export type SiteReportOutcome = Static<typeof SiteReportOutcome>;

export const FiledReport = Type.Object({ id: Id, kind: SiteReportKind, reason: ReportReason, status: Type.Union([Type.Literal('open'), Type.Literal('decided')]), createdAt: Timestamp });
export const FiledReportResponse = Type.Object({ report: FiledReport });

export const SiteReport = Type.Object({
  id: Id,
  kind: SiteReportKind,
  reporter: UserSummary,
  reason: ReportReason,
  note: Type.String(),
  createdAt: Timestamp,
  targetUser: Type.Union([UserSummary, Type.Null()]),
  roomId: Type.Union([Id, Type.Null()]),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: "The reported message's seq ('dm-message')" }),
  text: Type.Union([Type.String(), Type.Null()], { description: 'The reported text: the request, or the DM message' }),
});
export type SiteReport = Static<typeof SiteReport>;
export const SiteReportsResponse = Type.Object({ reports: Type.Array(SiteReport, { description: 'Open reports, oldest first' }) });
export const SiteReportParams = Type.Object({ reportId: Id }, { additionalProperties: false });
export const SiteDecisionBody = Type.Object({ outcome: SiteReportOutcome }, { additionalProperties: false });
export const SiteDecisionResponse = Type.Object({ reportId: Id, outcome: SiteReportOutcome });

export const SuspendBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 365 * 86_400, description: 'Omitted: until lifted' })),
  },
  { additionalProperties: false },
);
export type SuspendBody = Static<typeof SuspendBody>;
export const Suspension = Type.Object({ userId: Id, until: Type.Union([Timestamp, Type.Null()], { description: 'null: until lifted' }), reason: Type.String() });
export const SuspensionResponse = Type.Object({ suspension: Suspension });

/** `report:decided` to each reporter when staff (a room's, or the site's) decide their report. */
export interface ReportDecidedEvent {
  reportId: string;
  outcome: 'dismissed' | 'removed' | 'actioned';
}
