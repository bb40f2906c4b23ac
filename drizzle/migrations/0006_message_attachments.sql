-- Messages carry attachments. A message keeps a snapshot of the attachments it was sent with
-- (the objects clients show), so history, sync and the live event need no join; the attachments
-- table keeps the rows that say who may fetch which bytes. attachments.seq is the seq of the
-- message that carries one, claimed by the statement that stores that message, so an upload is
-- sent at most once and a message is never stored with an attachment someone else claimed.
ALTER TABLE "messages" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "held_messages" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "recalled_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "attachments_room_seq_idx" ON "attachments" USING btree ("room_id","seq") WHERE "seq" IS NOT NULL;--> statement-breakpoint
-- append_messages (migration 0003) gains two draft fields: attachments (the snapshot stored with
-- the message) and attachment_ids (the rows it claims). Claiming happens in the same call, after
-- the insert: every id must be a ready, unsent, unremoved upload of the sender in the message's
-- room, or the whole call fails with SQLSTATE QA001 and stores nothing (the writer then retries
-- the batch's drafts one by one, so only the draft that lost the race fails). The checks before
-- the write give the precise refusal; this one only closes the race between two sends.
CREATE OR REPLACE FUNCTION append_messages(batch jsonb, lock_in_order boolean)
RETURNS TABLE (message_id uuid, message_seq bigint)
LANGUAGE plpgsql
AS $$
DECLARE
  wanted bigint;
  claimed bigint;
BEGIN
  IF lock_in_order THEN
    PERFORM 1 FROM rooms
    WHERE id IN (SELECT (d ->> 'room_id')::uuid FROM jsonb_array_elements(batch) AS d)
    ORDER BY id
    FOR UPDATE;
  END IF;

  RETURN QUERY
  WITH drafts AS (
    SELECT *
    FROM jsonb_to_recordset(batch) AS d(
      ord bigint, id uuid, room_id uuid, sender_id uuid, client_msg_id text, kind text, text text,
      reply_to bigint, mentions uuid[], mentions_all boolean, data jsonb, flags jsonb, attachments jsonb,
      created_at timestamptz
    )
  ),
  counts AS (
    SELECT d.room_id, count(*) AS n FROM drafts d GROUP BY d.room_id
  ),
  bumped AS (
    UPDATE rooms r SET last_seq = r.last_seq + c.n
    FROM counts c
    WHERE r.id = c.room_id
    RETURNING r.id, r.last_seq, c.n
  )
  INSERT INTO messages AS m (id, room_id, seq, sender_id, client_msg_id, kind, text, reply_to, mentions, mentions_all, data, flags, attachments, created_at)
  SELECT d.id, d.room_id, b.last_seq - b.n + d.ord, d.sender_id, d.client_msg_id, d.kind, d.text, d.reply_to,
         coalesce(d.mentions, '{}'), coalesce(d.mentions_all, false), d.data, d.flags, coalesce(d.attachments, '[]'::jsonb), d.created_at
  FROM drafts d
  JOIN bumped b ON b.id = d.room_id
  RETURNING m.id, m.seq;

  -- Most batches carry no attachment: one pass over the batch decides that, and nothing more runs.
  SELECT coalesce(sum(jsonb_array_length(d -> 'attachment_ids')), 0) INTO wanted
  FROM jsonb_array_elements(batch) AS d
  WHERE jsonb_typeof(d -> 'attachment_ids') = 'array';
  IF wanted = 0 THEN
    RETURN;
  END IF;

  -- Drafts of a dissolved room were not inserted; their uploads went with the room.
  SELECT coalesce(sum(cardinality(d.attachment_ids)), 0) INTO wanted
  FROM jsonb_to_recordset(batch) AS d(id uuid, attachment_ids uuid[])
  JOIN messages m ON m.id = d.id;

  UPDATE attachments a SET seq = m.seq
  FROM jsonb_to_recordset(batch) AS d(id uuid, attachment_ids uuid[])
  JOIN messages m ON m.id = d.id
  WHERE a.id = ANY (d.attachment_ids)
    AND a.room_id = m.room_id
    AND a.uploader_id = m.sender_id
    AND a.seq IS NULL
    AND a.status = 'ready'
    AND a.removed_at IS NULL;
  GET DIAGNOSTICS claimed = ROW_COUNT;
  IF claimed <> wanted THEN
    RAISE EXCEPTION 'an attachment of this message is no longer available to send' USING ERRCODE = 'QA001';
  END IF;
END
$$;
