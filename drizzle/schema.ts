import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
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

/** PostgreSQL's tsvector, read and written as its text form. */
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

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
    // Set when the person deleted their account: the row stays so their messages keep a sender,
    // and the username stays taken so nobody can post under an old author's name.
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    // The profile card (GET /v1/users/:id): a short bio and a picture the user uploaded.
    bio: text('bio').notNull().default(''),
    avatarAttachmentId: uuid('avatar_attachment_id'),
    // Who may message them directly: 'anyone' | 'room-members' | 'contacts' | 'nobody'; the rest
    // send a message request (server/domain/direct-messages.ts).
    dmsFrom: text('dms_from').notNull().default('contacts'),
    // false: never shown online to anyone (server/domain/presence.ts).
    showPresence: boolean('show_presence').notNull().default(true),
    // Suspended by a site moderator until this instant (far future: until lifted).
    suspendedUntil: timestamp('suspended_until', { withTimezone: true }),
    suspensionReason: text('suspension_reason'),
  },
  (t) => [uniqueIndex('users_username_key').on(t.username), index('users_avatar_idx').on(t.avatarAttachmentId).where(sql`${t.avatarAttachmentId} is not null`)],
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
    // 'public' (listed, searchable) | 'unlisted' (by link or QR only) | 'private' (invite only, unseen).
    visibility: text('visibility').notNull().default('public'),
    // 'group', or 'dm': a direct conversation of two members, never listed, no roles, no joining.
    kind: text('kind').notNull().default('group'),
    // A DM room's pair, '<smaller user id>:<larger user id>': one conversation per pair.
    dmKey: text('dm_key'),
    // Look before joining: signed-in non-members of a public room may read its newest messages.
    preview: boolean('preview').notNull().default(false),
    // The owner may stop members forwarding messages out of the room.
    membersCanForward: boolean('members_can_forward').notNull().default(true),
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
    // A raid shield in force (server/domain/raid-shield.ts): until when, and the settings it replaced.
    raidShieldUntil: timestamp('raid_shield_until', { withTimezone: true }),
    raidRestore: jsonb('raid_restore').$type<{ joinPolicy: string; slowModeSeconds: number; shieldSlowModeSeconds: number }>(),
    raidShieldEndedAt: timestamp('raid_shield_ended_at', { withTimezone: true }),
    // Photos keep their EXIF (location included) when the owner says so; by default it is removed.
    keepImageOriginals: boolean('keep_image_originals').notNull().default(false),
    // Members may propose meetups, which wait for staff approval (migration 0018).
    membersProposeEvents: boolean('members_propose_events').notNull().default(false),
    // Per-room safety tuning (strictness per rule, keywords, domain lists); defaults filled in code.
    safetyPolicy: jsonb('safety_policy').notNull().default({}),
    // Change-feed counter: recalls, reactions, pins, announcements get their own per-room position.
    lastChange: bigint('last_change', { mode: 'number' }).notNull().default(0),
    // The room's sequence counter: incremented in the same transaction that inserts a message,
    // so the row lock orders concurrent senders and a rolled-back insert leaves no gap.
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rooms_tags_idx').using('gin', t.tags),
    uniqueIndex('rooms_dm_key_key').on(t.dmKey).where(sql`${t.dmKey} is not null`),
    index('rooms_raid_shield_idx').on(t.raidShieldUntil).where(sql`${t.raidShieldUntil} is not null`),
  ],
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
    // 消息免打扰: 'all' | 'mentions' | 'none' (server/domain/notifications.ts).
    notifications: text('notifications').notNull().default('all'),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index('room_members_user_idx').on(t.userId), index('room_members_joined_idx').on(t.roomId, t.joinedAt)],
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
    // The attachments it was sent with, as clients are shown them (a snapshot taken at send).
    attachments: jsonb('attachments').notNull().default([]),
    // Hidden pending review after too many reports; members see a placeholder.
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    recalledBy: uuid('recalled_by'),
    // Set by the newest edit; earlier texts are in message_edits.
    editedAt: timestamp('edited_at', { withTimezone: true }),
    // Where a forwarded message came from (MessageOrigin), as it was when forwarded.
    forwardedFrom: jsonb('forwarded_from'),
    // The search terms of a text message (server/store/search-terms.ts), as a tsvector literal.
    searchDocument: tsvector('search_document'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_room_seq_key').on(t.roomId, t.seq),
    // Search (migration 0011): the terms of what members can find, in the room's order of seq.
    index('messages_search_idx')
      .using('gin', t.roomId, t.searchDocument)
      .where(sql`${t.kind} = 'text' and ${t.recalledAt} is null and ${t.hiddenAt} is null`),
    // Idempotency: a retried send with the same key finds the stored original.
    uniqueIndex('messages_sender_client_msg_key').on(t.senderId, t.clientMsgId),
    // The daily @all cap (migration 0017): the few @all messages of a room, by time.
    index('messages_mentions_all_idx').on(t.roomId, t.createdAt).where(sql`${t.mentionsAll}`),
  ],
);

/** Earlier texts of edited messages (version 1 is the text as sent), for the room's staff. */
export const messageEdits = pgTable(
  'message_edits',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    editedBy: uuid('edited_by').notNull(),
    // When this text stopped being the message's text.
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.seq, t.version] })],
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
    // Ready uploads the held message carries; approval sends them with it.
    attachments: jsonb('attachments').notNull().default([]),
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

// ---- Bots: accounts, scoped tokens, incoming webhooks, outgoing events, slash commands, schedules ----

/** A bot account: its user row (kind 'bot') plus who manages it and where its events go. */
export const bots = pgTable(
  'bots',
  {
    // The same id as the bot's row in `users`: messages and memberships use the user id.
    id: uuid('id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    avatarUrl: text('avatar_url'),
    // Outgoing events: null until the bot registers an endpoint.
    webhookUrl: text('webhook_url'),
    // Kept in the clear: the server needs it to sign each delivery (HMAC), so it cannot be a hash.
    webhookSecret: text('webhook_secret'),
    webhookEvents: text('webhook_events')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // 'active' | 'paused': an endpoint that keeps failing is paused until its owner resumes it.
    webhookStatus: text('webhook_status').notNull().default('active'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    pausedAt: timestamp('paused_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bots_owner_idx').on(t.ownerId)],
);

export const botTokens = pgTable(
  'bot_tokens',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    // SHA-256 of the token, like sessions: a database leak yields no usable tokens.
    tokenHash: text('token_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('bot_tokens_hash_key').on(t.tokenHash), index('bot_tokens_bot_idx').on(t.botId)],
);

/** Incoming webhooks: POST /v1/hooks/:id/:secret posts into one room as one bot identity. */
export const incomingWebhooks = pgTable(
  'incoming_webhooks',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: uuid('created_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incoming_webhooks_room_idx').on(t.roomId)],
);

/** Slash commands a bot registered in a room: one bot per command name per room. */
export const botCommands = pgTable(
  'bot_commands',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    // Lowercase, without the slash.
    command: text('command').notNull(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.command] })],
);

/** Outgoing event deliveries: queued after the message is stored, sent by a background worker. */
export const botDeliveries = pgTable(
  'bot_deliveries',
  {
    id: uuid('id').primaryKey(),
    botId: uuid('bot_id')
      .notNull()
      .references(() => bots.id, { onDelete: 'cascade' }),
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'cascade' }),
    // 'message' | 'mention' | 'member.joined' | 'command'
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    // 'pending' | 'sending' | 'delivered' | 'failed'
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // A 'sending' row whose claim expired (its gateway died mid-delivery) is claimed again.
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bot_deliveries_due_idx').on(t.status, t.nextAttemptAt), index('bot_deliveries_bot_idx').on(t.botId, t.createdAt)],
);

export const botDeliveryAttempts = pgTable(
  'bot_delivery_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => botDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    // HTTP status of the receiver's answer; null when there was none (refused, timed out).
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bot_delivery_attempts_delivery_idx').on(t.deliveryId)],
);

/** Scheduled posts: a message or announcement, once or recurring, in an IANA time zone. */
export const scheduledPosts = pgTable(
  'scheduled_posts',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    // Who posts it when it fires: the owner/admin or bot who scheduled it.
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // 'message' | 'announcement'
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    // { type: 'once', at } | { type: 'daily', time } | { type: 'weekly', days, time } | { type: 'interval', everySeconds }
    schedule: jsonb('schedule').notNull(),
    timeZone: text('time_zone').notNull().default('UTC'),
    // null once a one-off has fired or the schedule was cancelled.
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    runs: integer('runs').notNull().default(0),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('scheduled_posts_due_idx').on(t.nextRunAt), index('scheduled_posts_room_idx').on(t.roomId)],
);

/**
 * Files posted in a room: photos, videos, audio and other files. The bytes live in the media
 * storage (server/media/) under their sha256, so the same photo posted twice is stored once;
 * each upload still gets its own row, and quotas count every row.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // 'image' | 'video' | 'audio' | 'file', from the detected content type, never the name.
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationSeconds: doublePrecision('duration_seconds'),
    // 'ready' | 'held' | 'blocked'
    status: text('status').notNull(),
    reasons: jsonb('reasons'),
    // sha256 and size above are of the bytes served. For a photo whose metadata was removed this is
    // the upload as it arrived, whose bytes are not kept (they carry the location).
    originalSha256: text('original_sha256'),
    // The served bytes are the untouched upload, because the room keeps originals.
    original: boolean('original').notNull().default(false),
    // Derived pictures, content-addressed in the same media storage as the bytes.
    thumbSha256: text('thumb_sha256'),
    thumbSize: bigint('thumb_size', { mode: 'number' }),
    thumbMime: text('thumb_mime'),
    thumbWidth: integer('thumb_width'),
    thumbHeight: integer('thumb_height'),
    displaySha256: text('display_sha256'),
    displaySize: bigint('display_size', { mode: 'number' }),
    displayMime: text('display_mime'),
    displayWidth: integer('display_width'),
    displayHeight: integer('display_height'),
    thumbhash: text('thumbhash'),
    // The camera line (AttachmentExif); never location or serial numbers.
    exif: jsonb('exif'),
    // The message that carries it, once sent (claimed by the statement that stores the message).
    seq: bigint('seq', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Its message was recalled: gone for members, kept for staff until RECALL_RETENTION_DAYS.
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    // Gone for everyone; the bytes are erased once no live row shares them.
    removedAt: timestamp('removed_at', { withTimezone: true }),
    // A picture's 64-bit perceptual hash (signed, as bigint is), to find the same picture posted
    // elsewhere (server/safety/attachments.ts); null for anything else.
    phash: bigint('phash', { mode: 'bigint' }),
    // The safety verdict's reasons in full (code, rule, message, detail), for reviewers; `reasons`
    // keeps the codes members may see.
    safetyReasons: jsonb('safety_reasons'),
    // Who approved or rejected a held attachment, and when.
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // Set once a removed row has let go of its stored files: each was deleted unless another live
    // row still used it (server/domain/media-lifecycle.ts). Removed but not released: still to do.
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    // The attachments of one message (recall, album and files views).
    index('attachments_room_seq_idx').on(t.roomId, t.seq).where(sql`${t.seq} is not null`),
    // Album and files views page a room's attachments of one kind, newest first.
    index('attachments_room_kind_idx').on(t.roomId, t.kind, t.createdAt.desc()),
    index('attachments_uploader_idx').on(t.uploaderId),
    // Whether any row still refers to a stored file before it is deleted.
    index('attachments_sha256_idx').on(t.sha256),
    index('attachments_thumb_sha256_idx').on(t.thumbSha256),
    index('attachments_display_sha256_idx').on(t.displaySha256),
    // Look-alike pictures are searched among the recent ones only.
    index('attachments_phash_recent_idx').on(t.createdAt).where(sql`${t.phash} is not null`),
    // The review queue: held attachments of a room, and the newest decisions.
    index('attachments_held_idx').on(t.roomId, t.createdAt).where(sql`${t.status} = 'held'`),
    index('attachments_decided_idx').on(t.roomId, t.decidedAt.desc()).where(sql`${t.decidedAt} is not null`),
    // 群相册 and 群文件: one page of a room's sent attachments, newest message first, read straight
    // off the index however many attachments the room holds.
    index('attachments_album_idx')
      .on(t.roomId, t.seq.desc(), t.id.desc())
      .where(sql`${t.seq} is not null and ${t.removedAt} is null and ${t.kind} in ('image', 'video')`),
    index('attachments_files_idx')
      .on(t.roomId, t.seq.desc(), t.id.desc())
      .where(sql`${t.seq} is not null and ${t.removedAt} is null and ${t.kind} in ('audio', 'file')`),
    // The orphan sweep: uploads never sent, oldest first.
    index('attachments_unsent_idx').on(t.createdAt).where(sql`${t.seq} is null and ${t.removedAt} is null`),
    // The retention sweep: recalled attachments not yet removed, oldest recall first.
    index('attachments_recalled_idx').on(t.recalledAt).where(sql`${t.recalledAt} is not null and ${t.removedAt} is null`),
    // Removed rows whose stored files are still to be let go of.
    index('attachments_unreleased_idx').on(t.removedAt).where(sql`${t.removedAt} is not null and ${t.releasedAt} is null`),
  ],
);

/**
 * Link previews, one row per URL as posted: `status` 'ok' with what the page says, or 'none'
 * (nothing to show: not HTML, no title, unreachable, refused by the address or safety rules).
 */
export const linkPreviews = pgTable('link_previews', {
  url: text('url').primaryKey(),
  status: text('status').notNull(),
  finalUrl: text('final_url'),
  title: text('title'),
  description: text('description'),
  image: text('image'),
  siteName: text('site_name'),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
});


/** Who blocked whom: the blocked user's messages and DMs are hidden from the blocker everywhere. */
export const userBlocks = pgTable(
  'user_blocks',
  {
    blockerId: uuid('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: uuid('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId], name: 'user_blocks_pkey' }), index('user_blocks_blocked_idx').on(t.blockedId)],
);

/** Message requests: a first DM to someone who does not take messages from the sender yet. */
export const dmRequests = pgTable(
  'dm_requests',
  {
    id: uuid('id').primaryKey(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientMsgId: text('client_msg_id').notNull(),
    text: text('text').notNull(),
    // 'pending' | 'accepted' | 'ignored' | 'reported'
    status: text('status').notNull().default('pending'),
    // The DM room the accepted request opened.
    roomId: uuid('room_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dm_requests_pair_key').on(t.senderId, t.recipientId), index('dm_requests_recipient_idx').on(t.recipientId, t.status)],
);

/** The site-level review queue: reports of a message request, a user, or a room. */
export const siteReports = pgTable(
  'site_reports',
  {
    id: uuid('id').primaryKey(),
    // 'request' | 'user' | 'room'
    kind: text('kind').notNull(),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    targetUserId: uuid('target_user_id'),
    roomId: uuid('room_id'),
    requestId: uuid('request_id'),
    reason: text('reason').notNull(),
    note: text('note').notNull().default(''),
    // 'open' | 'decided'
    status: text('status').notNull().default('open'),
    // 'dismissed' | 'actioned' once decided
    outcome: text('outcome'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('site_reports_open_idx').on(t.status, t.createdAt)],
);

// ---- Community life (migration 0012): 接龙, polls, must-read rules, meetups ----

export const signups = pgTable('signups', {
  id: uuid('id').primaryKey(),
  roomId: uuid('room_id')
    .notNull()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  messageId: uuid('message_id').notNull(),
  authorId: uuid('author_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  template: text('template'),
  capacity: integer('capacity'),
  closesAt: timestamp('closes_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One line per member; `ord` (taken under the list's row lock) is the append order. */
export const signupEntries = pgTable(
  'signup_entries',
  {
    signupId: uuid('signup_id')
      .notNull()
      .references(() => signups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ord: bigint('ord', { mode: 'number' }).generatedAlwaysAsIdentity(),
    text: text('text').notNull(),
    /** listed, or held for review by the safety rules (not numbered, not counted). */
    status: text('status').notNull().default('listed'),
    reasons: jsonb('reasons'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.signupId, t.userId], name: 'signup_entries_pk' }), index('signup_entries_order_idx').on(t.signupId, t.ord)],
);

export const polls = pgTable('polls', {
  id: uuid('id').primaryKey(),
  roomId: uuid('room_id')
    .notNull()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  messageId: uuid('message_id').notNull(),
  authorId: uuid('author_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  question: text('question').notNull(),
  options: jsonb('options').notNull(),
  multiple: boolean('multiple').notNull().default(false),
  anonymous: boolean('anonymous').notNull().default(false),
  closesAt: timestamp('closes_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** `voter`: the user id, or for an anonymous poll a keyed HMAC of (poll, user) with user_id null. */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    voter: text('voter').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    optionIds: jsonb('option_ids').notNull(),
    votedAt: timestamp('voted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voter], name: 'poll_votes_pk' })],
);

export const serverKeys = pgTable('server_keys', { name: text('name').primaryKey(), secret: text('secret').notNull() });

export const roomRules = pgTable('room_rules', {
  roomId: uuid('room_id')
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  requireAcceptance: boolean('require_acceptance').notNull(),
  version: integer('version').notNull(),
  updatedBy: uuid('updated_by')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roomRuleAcceptances = pgTable(
  'room_rule_acceptances',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull().defaultNow(),
    /** The member's first acceptance in this room: a room that requires its rules counts probation from it. */
    firstAcceptedAt: timestamp('first_accepted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId], name: 'room_rule_acceptances_pk' })],
);

export const meetups = pgTable(
  'meetups',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    placeName: text('place_name').notNull(),
    placeArea: text('place_area'),
    /** The exact place: only for confirmed attendees and staff, never in a card or a change. */
    placeDetail: text('place_detail'),
    capacity: integer('capacity'),
    rsvpClosesAt: timestamp('rsvp_closes_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** scheduled (staff made it, or approved it), proposed (a member's, waiting for staff) or rejected (migration 0018). */
    status: text('status').notNull().default('scheduled'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    rejectReason: text('reject_reason'),
  },
  (t) => [index('meetups_room_starts_idx').on(t.roomId, t.startsAt), index('meetups_proposed_idx').on(t.roomId, t.createdAt).where(sql`${t.status} = 'proposed'`)],
);

export const meetupRsvps = pgTable(
  'meetup_rsvps',
  {
    meetupId: uuid('meetup_id')
      .notNull()
      .references(() => meetups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** confirmed, waitlisted or declined. */
    status: text('status').notNull(),
    /** From the meetup_rsvp_ord sequence, under the meetup's row lock: first come first served. */
    ord: bigint('ord', { mode: 'number' }).notNull(),
    respondedAt: timestamp('responded_at', { withTimezone: true }).notNull().defaultNow(),
    homeSafeAt: timestamp('home_safe_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.meetupId, t.userId], name: 'meetup_rsvps_pk' })],
);

export const meetupReminders = pgTable(
  'meetup_reminders',
  {
    meetupId: uuid('meetup_id')
      .notNull()
      .references(() => meetups.id, { onDelete: 'cascade' }),
    which: text('which').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    messageId: uuid('message_id').notNull(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    postedAt: timestamp('posted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.meetupId, t.which], name: 'meetup_reminders_pk' }), index('meetup_reminders_due_idx').on(t.dueAt).where(sql`${t.postedAt} is null`)],
);

export const meetupChecklists = pgTable('meetup_checklists', {
  roomId: uuid('room_id')
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  lines: jsonb('lines').notNull(),
});

export const meetupChecklistSeen = pgTable(
  'meetup_checklist_seen',
  {
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId], name: 'meetup_checklist_seen_pk' })],
);

/** 打卡 challenges: dates are calendar dates (YYYY-MM-DD) in the challenge's time zone. */
export const challenges = pgTable('challenges', {
  id: uuid('id').primaryKey(),
  roomId: uuid('room_id')
    .notNull()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  messageId: uuid('message_id').notNull(),
  authorId: uuid('author_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  cadence: text('cadence').notNull(),
  startsOn: text('starts_on').notNull(),
  endsOn: text('ends_on').notNull(),
  timeZone: text('time_zone').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One per member per period (a local date, or the Monday of a local ISO week). */
export const challengeCheckins = pgTable(
  'challenge_checkins',
  {
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => challenges.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    text: text('text').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
    // A photo check-in's message (it carries the photos, so the album and the media sweeps see
    // them as any message's); null without photos.
    messageId: uuid('message_id'),
  },
  (t) => [
    primaryKey({ columns: [t.challengeId, t.userId, t.period], name: 'challenge_checkins_pk' }),
    index('challenge_checkins_period_idx').on(t.challengeId, t.period, t.checkedAt, t.userId),
  ],
);

/** Staff decisions on held and reported messages: the room's labelled examples (safety precedents). */
export const safetyDecisions = pgTable(
  'safety_decisions',
  {
    id: uuid('id').primaryKey(),
    roomId: uuid('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    // No foreign keys: an example outlives the accounts it names (deleted senders, departed staff).
    senderId: uuid('sender_id'),
    decidedBy: uuid('decided_by'),
    // 'approved' | 'rejected' | 'removed'
    decision: text('decision').notNull(),
    // 'held' | 'report'
    source: text('source').notNull(),
    text: text('text').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('safety_decisions_room_idx').on(t.roomId, t.decidedAt)],
);
