-- The daily @all cap (safety policy mentionAllPerDay) counts a room's @all messages of the last
-- day: a small partial index, since only a few messages a day use @all.
CREATE INDEX "messages_mentions_all_idx" ON "messages" USING btree ("room_id","created_at") WHERE "messages"."mentions_all";
--> statement-breakpoint
-- The raid shield (safety policy raid): a wave of joins turns an open room to approval with slow
-- mode until raid_shield_until; raid_restore holds what to put back then.
ALTER TABLE "rooms" ADD COLUMN "raid_shield_until" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "raid_restore" jsonb;
--> statement-breakpoint
-- Joins before the last shield ended do not count towards the next one.
ALTER TABLE "rooms" ADD COLUMN "raid_shield_ended_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "rooms_raid_shield_idx" ON "rooms" USING btree ("raid_shield_until") WHERE "rooms"."raid_shield_until" is not null;
--> statement-breakpoint
CREATE INDEX "room_members_joined_idx" ON "room_members" USING btree ("room_id","joined_at");
