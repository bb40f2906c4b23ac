-- The daily @all cap (safety policy mentionAllPerDay) counts a room's @all messages of the last
-- day: a small partial index, since only a few messages a day use @all.
CREATE INDEX "messages_mentions_all_idx" ON "messages" USING btree ("room_id","created_at") WHERE "messages"."mentions_all";
