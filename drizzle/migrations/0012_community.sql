-- Community life (issue #21): 接龙 sign-up lists, polls, must-read rules and meetups. Each item's
-- card in the timeline is a message (message_id); the rows here are the truth it is drawn from.
CREATE TABLE "signups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"message_id" uuid NOT NULL,
	"author_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"title" text NOT NULL,
	"template" text,
	"capacity" integer,
	"closes_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- One line per member; `ord` is taken while the list's row is locked, so it is the append order
-- whichever gateway appended, and positions are the dense rank of `ord` among listed lines.
CREATE TABLE "signup_entries" (
	"signup_id" uuid NOT NULL REFERENCES "signups"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"ord" bigint GENERATED ALWAYS AS IDENTITY,
	"text" text NOT NULL,
	"status" text DEFAULT 'listed' NOT NULL,
	"reasons" jsonb,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signup_entries_pk" PRIMARY KEY ("signup_id", "user_id")
);
--> statement-breakpoint
CREATE INDEX "signup_entries_order_idx" ON "signup_entries" ("signup_id", "ord");
--> statement-breakpoint
CREATE TABLE "polls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"message_id" uuid NOT NULL,
	"author_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"question" text NOT NULL,
	"options" jsonb NOT NULL,
	"multiple" boolean DEFAULT false NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"closes_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- `voter` is the user id for an open poll; for an anonymous one an HMAC of (poll, user) under a key
-- kept outside the database (ANONYMOUS_VOTE_KEY), and user_id is null: the row says nobody's name.
CREATE TABLE "poll_votes" (
	"poll_id" uuid NOT NULL REFERENCES "polls"("id") ON DELETE cascade,
	"voter" text NOT NULL,
	"user_id" uuid REFERENCES "users"("id") ON DELETE cascade,
	"option_ids" jsonb NOT NULL,
	"voted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "poll_votes_pk" PRIMARY KEY ("poll_id", "voter")
);
--> statement-breakpoint
-- The key that anonymises votes when the operator sets none (then a database reader can undo it;
-- docs/protocol.md says so).
CREATE TABLE "server_keys" (
	"name" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_rules" (
	"room_id" uuid PRIMARY KEY NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"text" text NOT NULL,
	"require_acceptance" boolean NOT NULL,
	"version" integer NOT NULL,
	"updated_by" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_rule_acceptances" (
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"version" integer NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_rule_acceptances_pk" PRIMARY KEY ("room_id", "user_id")
);
--> statement-breakpoint
CREATE TABLE "meetups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"message_id" uuid NOT NULL,
	"author_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"place_name" text NOT NULL,
	"place_area" text,
	"place_detail" text,
	"capacity" integer,
	"rsvp_closes_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "meetups_room_starts_idx" ON "meetups" ("room_id", "starts_at");
--> statement-breakpoint
-- `ord` orders the waitlist first come first served (taken under the meetup's row lock).
CREATE TABLE "meetup_rsvps" (
	"meetup_id" uuid NOT NULL REFERENCES "meetups"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"status" text NOT NULL,
	"ord" bigint NOT NULL,
	"responded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"home_safe_at" timestamp with time zone,
	CONSTRAINT "meetup_rsvps_pk" PRIMARY KEY ("meetup_id", "user_id")
);
--> statement-breakpoint
CREATE SEQUENCE "meetup_rsvp_ord";
--> statement-breakpoint
-- Reminders 24 h and 1 h before: a row per reminder, claimed for a lease by one gateway; the
-- message is written with the row's message_id, so a second attempt after a crash cannot post twice.
CREATE TABLE "meetup_reminders" (
	"meetup_id" uuid NOT NULL REFERENCES "meetups"("id") ON DELETE cascade,
	"which" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"message_id" uuid NOT NULL,
	"claimed_until" timestamp with time zone,
	"posted_at" timestamp with time zone,
	CONSTRAINT "meetup_reminders_pk" PRIMARY KEY ("meetup_id", "which")
);
--> statement-breakpoint
CREATE INDEX "meetup_reminders_due_idx" ON "meetup_reminders" ("due_at") WHERE "posted_at" IS NULL;
--> statement-breakpoint
-- The meeting-safety checklist: the owner's extra lines, and who has seen it (once per room).
CREATE TABLE "meetup_checklists" (
	"room_id" uuid PRIMARY KEY NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"lines" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meetup_checklist_seen" (
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetup_checklist_seen_pk" PRIMARY KEY ("room_id", "user_id")
);
--> statement-breakpoint
-- 打卡 check-in challenges: one check-in per member per period, the period being a date (daily)
-- or the Monday of an ISO week (weekly) in the challenge's time zone; the key makes it one.
CREATE TABLE "challenges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL REFERENCES "rooms"("id") ON DELETE cascade,
	"message_id" uuid NOT NULL,
	"author_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"title" text NOT NULL,
	"cadence" text NOT NULL,
	"starts_on" text NOT NULL,
	"ends_on" text NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "challenge_checkins" (
	"challenge_id" uuid NOT NULL REFERENCES "challenges"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"period" text NOT NULL,
	"text" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "challenge_checkins_pk" PRIMARY KEY ("challenge_id", "user_id", "period")
);
