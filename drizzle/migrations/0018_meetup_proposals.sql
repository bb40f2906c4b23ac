-- Members may propose meetups that staff approve (rooms.members_propose_events, off by default):
-- a proposal is a meetup row with status 'proposed' — no card, no reminders, no RSVPs — until
-- staff approve it ('scheduled', the status of every meetup staff create) or reject it.
ALTER TABLE "rooms" ADD COLUMN "members_propose_events" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "meetups" ADD COLUMN "status" text DEFAULT 'scheduled' NOT NULL;
--> statement-breakpoint
ALTER TABLE "meetups" ADD COLUMN "decided_by" uuid REFERENCES "users"("id") ON DELETE set null;
--> statement-breakpoint
ALTER TABLE "meetups" ADD COLUMN "decided_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "meetups" ADD COLUMN "reject_reason" text;
--> statement-breakpoint
-- The staff's list of proposals waiting for them: few rows, read often.
CREATE INDEX "meetups_proposed_idx" ON "meetups" USING btree ("room_id","created_at") WHERE "meetups"."status" = 'proposed';
--> statement-breakpoint
-- Probation in a room that requires its rules counts from the member's first acceptance (a later
-- version accepted again does not make a member a newcomer again); until now only the latest
-- acceptance was kept, which is the best first one known for the rows already there.
ALTER TABLE "room_rule_acceptances" ADD COLUMN "first_accepted_at" timestamp with time zone;
--> statement-breakpoint
UPDATE "room_rule_acceptances" SET "first_accepted_at" = "accepted_at";
--> statement-breakpoint
ALTER TABLE "room_rule_acceptances" ALTER COLUMN "first_accepted_at" SET DEFAULT now();
--> statement-breakpoint
ALTER TABLE "room_rule_acceptances" ALTER COLUMN "first_accepted_at" SET NOT NULL;
