/**
 * Wire contract v1: the JSON schemas of every request, response and socket payload.
 * The server validates with them, OpenAPI is generated from them, and the client SDK
 * takes its types from them (Static<>), so the three can never drift apart.
 */
import { Type, type Static } from 'typebox';

export const MAX_TEXT_LENGTH = 4000;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
/** Messages returned per room by one `sync`; the client pages with `hasMore`. */
export const SYNC_PAGE_SIZE = 100;

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const Id = Type.String({ format: 'uuid', description: 'A UUID' });
export const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Per-room message sequence number, from 1, without gaps' });
export const Timestamp = Type.String({ format: 'date-time' });

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
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
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

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member'), Type.Literal('bot')]);
export type Role = Static<typeof Role>;

export const JoinPolicy = Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('invite_only')]);
export type JoinPolicy = Static<typeof JoinPolicy>;

export const Room = Type.Object({
  id: Id,
  name: Type.String(),
  topic: Type.String(),
  tags: Type.Array(Type.String()),
  ownerId: Id,
  visibility: Type.String(),
  memberCount: Type.Integer(),
  memberLimit: Type.Integer(),
  lastSeq: Type.Integer({ minimum: 0, description: 'Seq of the newest message (0 when empty)' }),
  lastChange: Type.Integer({ minimum: 0, description: 'Newest change-feed position (0 when none)' }),
  joinPolicy: JoinPolicy,
  joinQuestion: Type.String({ description: 'Asked of people requesting to join an approval room' }),
  membersCanInvite: Type.Boolean(),
  muteAll: Type.Boolean({ description: '全员禁言: only owner and admins may speak' }),
  slowModeSeconds: Type.Integer({ minimum: 0, description: 'Seconds between one member\'s messages (0: off)' }),
  createdAt: Timestamp,
});
export type Room = Static<typeof Room>;

export const MyRoom = Type.Intersect([Room, Type.Object({ role: Role, joinedAt: Timestamp })]);
export type MyRoom = Static<typeof MyRoom>;

export const Member = Type.Object({
  user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), kind: Type.String() }),
  role: Role,
  joinedAt: Timestamp,
});
export type Member = Static<typeof Member>;

export const MessageKind = Type.Union([Type.Literal('text'), Type.Literal('system')]);
export const Message = Type.Object({
  id: Id,
  roomId: Id,
  seq: Seq,
  sender: Type.Union([
    Type.Object({ id: Id, displayName: Type.String(), kind: Type.String() }),
    Type.Null(),
  ]),
  kind: MessageKind,
  text: Type.String(),
  replyTo: Type.Union([Seq, Type.Null()]),
  clientMsgId: Type.Union([Type.String(), Type.Null()]),
  mentions: Type.Array(Id, { description: 'Users mentioned with @username' }),
  mentionsAll: Type.Boolean({ description: '@all was used (owner and admins only)' }),
  data: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'Structured content of a system message' }),
  recalledAt: Type.Union([Timestamp, Type.Null()], { description: 'Set when recalled; the text is then empty for members' }),
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

export const MeResponse = Type.Object({ user: User, rooms: Type.Array(MyRoom) });

export const Tag = Type.String({ minLength: 1, maxLength: 24, pattern: '^[^\\s,#]+$' });
export const CreateRoomBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    topic: Type.Optional(Type.String({ maxLength: 500 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 10, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateRoomBody = Static<typeof CreateRoomBody>;

export const RoomDiscoveryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
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

export const SendMessageBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }),
    clientMsgId: ClientMsgId,
    replyTo: Type.Optional(Seq),
  },
  { additionalProperties: false },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const MessageResponse = Type.Object({ message: Message });

// ---- Socket payloads ----

export const SocketSendPayload = Type.Object(
  {
    roomId: Id,
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }),
    clientMsgId: ClientMsgId,
    replyTo: Type.Optional(Seq),
  },
  { additionalProperties: false },
);
export type SocketSendPayload = Static<typeof SocketSendPayload>;

/** A change to existing state: a recall, reactions, a pin, an announcement, room settings. */
export const RoomChange = Type.Object({
  roomId: Id,
  position: Type.Integer({ minimum: 1, description: 'Per-room change-feed position, from 1, without gaps' }),
  kind: Type.Union([
    Type.Literal('recall'),
    Type.Literal('reactions'),
    Type.Literal('pin'),
    Type.Literal('unpin'),
    Type.Literal('announcement'),
    Type.Literal('room'),
    Type.Literal('hidden'),
  ]),
  payload: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});
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

/** Events the server emits to sockets. */
export interface ServerToClientEvents {
  message: (message: Message) => void;
}
