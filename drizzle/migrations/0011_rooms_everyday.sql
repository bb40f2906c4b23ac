-- Everyday group life (#20): room visibility and preview, edits, forwards, and message search.
ALTER TABLE "rooms" ADD COLUMN "preview" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "members_can_forward" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_visibility_check" CHECK ("visibility" IN ('public', 'unlisted', 'private'));--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "forwarded_from" jsonb;--> statement-breakpoint
-- Earlier versions of edited messages, for the room's staff; the message row keeps the newest.
CREATE TABLE "message_edits" (
	"room_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"edited_by" uuid NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_edits_room_id_seq_version_pk" PRIMARY KEY("room_id","seq","version")
);--> statement-breakpoint
ALTER TABLE "message_edits" ADD CONSTRAINT "message_edits_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Search. pg_trgm cannot serve Chinese here: on the embedded database, whose LC_CTYPE is C,
-- show_trgm('我喜欢胶片摄影') is empty, and a two-character word such as 摄影 has no trigram on any
-- database; the text search parser keeps a run of Han characters as one word. So a message's terms
-- are classed by explicit character ranges, not by the locale: a run of CJK characters (Han, kana,
-- Hangul) gives its overlapping bigrams plus its last character, so any substring of one or more
-- characters can be found; any other run between separators is a word (lowercased, at most 64
-- characters), found by its prefix. The gateway computes the terms as it stores or edits a
-- message (server/domain/search-terms.ts) and passes them with the draft: computed here, in SQL,
-- they cost a write about 40 µs of the database's time; in the gateway, which scales out, about 25 µs.
-- Search rechecks the text itself, so the terms only need to find a superset.
ALTER TABLE "messages" ADD COLUMN "search_document" tsvector;--> statement-breakpoint
-- The same terms in SQL, for rows stored before this migration (below) and bulk loads; a test holds
-- the two definitions to the same answers.
CREATE FUNCTION message_search_document(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT array_to_tsvector((WITH runs AS (
      SELECT m[1] AS cjk, left(m[2], 64) AS word FROM regexp_matches(lower(body), '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]+)|([^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f\s\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+)', 'g') AS m
    )
    SELECT coalesce(array_agg(term), '{}') FROM (
      SELECT word FROM runs WHERE word IS NOT NULL
      UNION ALL
      SELECT substr(cjk, i, 2) FROM runs, generate_series(1, length(cjk) - 1) AS i WHERE cjk IS NOT NULL
      UNION ALL
      SELECT right(cjk, 1) FROM runs WHERE cjk IS NOT NULL
    ) AS terms(term)
  ))
$$;--> statement-breakpoint
UPDATE "messages" SET "search_document" = message_search_document("text") WHERE "kind" = 'text' AND "text" <> '';--> statement-breakpoint
-- Only what members can find: text messages neither recalled nor hidden (held ones are not rows here).
-- The room leads (btree_gin), so a rare word in a big room is a few index pages, not a walk through
-- the room's history; a common word is still read newest first off messages_room_seq_key.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("room_id", "search_document") WHERE "kind" = 'text' AND "recalled_at" IS NULL AND "hidden_at" IS NULL;--> statement-breakpoint
-- append_messages (migrations 0003, 0006) stores a forwarded message's attribution and the search terms with it.
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
      forwarded_from jsonb, search_document tsvector, created_at timestamptz
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
  INSERT INTO messages AS m (id, room_id, seq, sender_id, client_msg_id, kind, text, reply_to, mentions, mentions_all, data, flags, attachments, forwarded_from, search_document, created_at)
  SELECT d.id, d.room_id, b.last_seq - b.n + d.ord, d.sender_id, d.client_msg_id, d.kind, d.text, d.reply_to,
         coalesce(d.mentions, '{}'), coalesce(d.mentions_all, false), d.data, d.flags, coalesce(d.attachments, '[]'::jsonb), d.forwarded_from, d.search_document, d.created_at
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
