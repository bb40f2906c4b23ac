-- Direct messages are rooms of kind 'dm' with two members; dm_key ('<smaller id>:<larger id>')
-- makes the pair's room unique, so two first messages racing each other open one conversation.
ALTER TABLE "rooms" ADD COLUMN "kind" text DEFAULT 'group' NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "dm_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_dm_key_key" ON "rooms" USING btree ("dm_key") WHERE "dm_key" IS NOT NULL;--> statement-breakpoint
-- Profiles, privacy and site-wide suspension.
ALTER TABLE "users" ADD COLUMN "bio" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "avatar_attachment_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dms_from" text DEFAULT 'contacts' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "show_presence" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "suspended_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "suspension_reason" text;--> statement-breakpoint
CREATE INDEX "users_avatar_idx" ON "users" USING btree ("avatar_attachment_id") WHERE "avatar_attachment_id" IS NOT NULL;--> statement-breakpoint
-- 消息免打扰: 'all' | 'mentions' | 'none'.
ALTER TABLE "room_members" ADD COLUMN "notifications" text DEFAULT 'all' NOT NULL;--> statement-breakpoint
CREATE TABLE "user_blocks" (
	"blocker_id" uuid NOT NULL,
	"blocked_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_blocks_pkey" PRIMARY KEY("blocker_id","blocked_id")
);--> statement-breakpoint
ALTER TABLE "user_blocks" ADD CONSTRAINT "user_blocks_blocker_id_users_id_fk" FOREIGN KEY ("blocker_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_blocks" ADD CONSTRAINT "user_blocks_blocked_id_users_id_fk" FOREIGN KEY ("blocked_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_blocks_blocked_idx" ON "user_blocks" USING btree ("blocked_id");--> statement-breakpoint
-- A first message to someone who does not take messages from you yet. One per sender and
-- recipient, ever, until accepted: an ignored request is not a second chance.
CREATE TABLE "dm_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sender_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"client_msg_id" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"room_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "dm_requests" ADD CONSTRAINT "dm_requests_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dm_requests" ADD CONSTRAINT "dm_requests_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dm_requests_pair_key" ON "dm_requests" USING btree ("sender_id","recipient_id");--> statement-breakpoint
CREATE INDEX "dm_requests_recipient_idx" ON "dm_requests" USING btree ("recipient_id","status");--> statement-breakpoint
-- The site-level review queue: reports no room's staff can handle (a message request, a user
-- across rooms, a room itself). Reports of messages in DM rooms stay in "reports" and are read
-- from there by the same queue.
CREATE TABLE "site_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"reporter_id" uuid NOT NULL,
	"target_user_id" uuid,
	"room_id" uuid,
	"request_id" uuid,
	"reason" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "site_reports" ADD CONSTRAINT "site_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "site_reports_open_idx" ON "site_reports" USING btree ("status","created_at");
