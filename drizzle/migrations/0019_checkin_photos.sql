-- A photo check-in (打卡 with attachments) is also a message of the member's that carries the
-- photos, stored in the check-in's own transaction: the album, recall, reports and the media
-- sweeps then treat the photos as any message's. message_id names it; null for a check-in
-- without photos.
ALTER TABLE "challenge_checkins" ADD COLUMN "message_id" uuid;
--> statement-breakpoint
-- A period's check-ins, newest first (GET /v1/challenges/:id/checkins pages on checked_at, user_id).
CREATE INDEX "challenge_checkins_period_idx" ON "challenge_checkins" USING btree ("challenge_id","period","checked_at","user_id");
