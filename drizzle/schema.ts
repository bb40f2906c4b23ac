import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    // 'user' for people, 'bot' for bot accounts: every message carries it so clients can mark bots.
    kind: text('kind').notNull().default('user'),
    passwordHash: text('password_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_key').on(t.username)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Only the SHA-256 of the bearer token is stored; a database leak yields no usable tokens.
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    topic: text('topic').notNull().default(''),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    visibility: text('visibility').notNull().default('public'),
    memberCount: integer('member_count').notNull().default(0),
    memberLimit: integer('member_limit').notNull().default(500),
    // 'open' | 'approval' | 'invite_only'
    joinPolicy: text('join_policy').notNull().default('open'),
    // Asked of people requesting to join an 'approval' room; their answer goes to the admins.
    joinQuestion: text('join_question').notNull().default(''),
    membersCanInvite: boolean('members_can_invite').notNull().default(false),
    // 全员禁言: only owner and admins may speak.
    muteAll: boolean('mute_all').notNull().default(false),
    slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
    // Per-room safety tuning (strictness per rule, keywords, domain lists); defaults filled in code.
    safetyPolicy: jsonb('safety_policy').notNull().default({}),
    // Change-feed counter: recalls, reactions, pins, announcements get their own per-room position.
    lastChange: bigint('last_change', { mode: 'number' }).notNull().default(0),
    // The room's sequence counter: incremented in the same transaction that inserts a message,
    // so the row lock orders concurrent senders and a rolled-back insert leaves no gap.
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rooms_tags_idx').using('gin', t.tags)],
);

export const roomMembers = pgTable(
  'room_members',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    // 群昵称: the member's display name in this room only.
    nickname: text('nickname'),
    // Muted until this instant; "until unmuted" is stored as a far-future instant.
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    // Only maintained while the room has slow mode on.
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_members_user_idx').on(t.userId)],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    senderId: uuid('sender_id').references(() => users.id),
    clientMsgId: text('client_msg_id'),
    kind: text('kind').notNull().default('text'),
    text: text('text').notNull(),
    replyTo: bigint('reply_to', { mode: 'number' }),
    // Users mentioned with @username (resolved at send time), and whether @all was used.
    mentions: uuid('mentions')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    mentionsAll: boolean('mentions_all').notNull().default(false),
    // Structured content of system messages (event name, actor, target…); null for text.
    data: jsonb('data'),
    // Safety verdict reasons when a message was delivered but flagged for admins.
    flags: jsonb('flags'),
    // Hidden pending review after too many reports; members see a placeholder.
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    recalledBy: uuid('recalled_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_room_seq_key').on(t.roomId, t.seq),
    // Idempotency: a retried send with the same key finds the stored original.
    uniqueIndex('messages_sender_client_msg_key').on(t.senderId, t.clientMsgId),
  ],
);

export const roomBans = pgTable(
  'room_bans',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bannedBy: uuid('banned_by').notNull(),
    reason: text('reason').notNull().default(''),
    // null: until unbanned.
    until: timestamp('until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

export const joinRequests = pgTable(
  'join_requests',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    answer: text('answer').notNull().default(''),
    // 'pending' | 'approved' | 'rejected'
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('join_requests_room_idx').on(t.roomId, t.status)],
);

export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    createdBy: uuid('created_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invites_code_key').on(t.code), index('invites_room_idx').on(t.roomId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    // null when the server itself acted (automatic mute, safety verdict).
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    targetUserId: uuid('target_user_id'),
    targetSeq: bigint('target_seq', { mode: 'number' }),
    reason: text('reason').notNull().default(''),
    details: jsonb('details'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_room_idx').on(t.roomId, t.createdAt)],
);

export const reactions = pgTable(
  'reactions',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq, t.userId, t.emoji] })],
);

export const pins = pgTable(
  'pins',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    pinnedBy: uuid('pinned_by').notNull(),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq] })],
);

export const announcements = pgTable(
  'announcements',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').notNull(),
    text: text('text').notNull(),
    // Only one announcement per room is current; older ones stay for the record.
    current: boolean('current').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('announcements_room_idx').on(t.roomId, t.current)],
);

export const announcementReads = pgTable(
  'announcement_reads',
  {
    announcementId: uuid('announcement_id')
      .notNull()
      .references(() => announcements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.userId] })],
);

/** The change feed: state changes to existing messages and the room, by per-room position. */
export const roomChanges = pgTable(
  'room_changes',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    position: bigint('position', { mode: 'number' }).notNull(),
    // 'recall' | 'reactions' | 'pin' | 'unpin' | 'announcement' | 'room' …
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.position] })],
);

/** Messages the safety pipeline held for review: not delivered, no seq until approved. */
export const heldMessages = pgTable(
  'held_messages',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientMsgId: text('client_msg_id').notNull(),
    text: text('text').notNull(),
    replyTo: bigint('reply_to', { mode: 'number' }),
    reasons: jsonb('reasons').notNull(),
    // 'pending' | 'approved' | 'rejected'
    status: text('status').notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // The stored message once approved.
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('held_messages_room_idx').on(t.roomId, t.status),
    uniqueIndex('held_messages_sender_client_msg_key').on(t.senderId, t.clientMsgId),
  ],
);

/** Members' reports of a message (spam, scam, harassment, privacy, other). */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    note: text('note').notNull().default(''),
    // 'open' | 'resolved' | 'dismissed'
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reports_one_per_reporter_key').on(t.roomId, t.seq, t.reporterId),
    index('reports_room_idx').on(t.roomId, t.status),
  ],
);
