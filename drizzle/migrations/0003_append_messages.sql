-- Group commit of messages as one stored function. The statement text the gateway sends is the
-- same for every batch size (the batch travels as one jsonb value), so PostgreSQL keeps one cached
-- plan for it instead of parsing and planning a differently shaped statement each time; on the
-- embedded database that planning was most of a message's cost.
--
-- In one statement, for every room in the batch: advance rooms.last_seq by the room's number of
-- drafts and insert the drafts numbered from the old value (ord is 1-based within its room).
-- A room that no longer exists is not updated, so its drafts are not inserted and do not come back.
-- With lock_in_order the rooms are locked in id order first, so two gateways' batches over the
-- same rooms wait for each other instead of deadlocking. Only gateways sharing a PostgreSQL need
-- it; the embedded database has one connection, where batches never overlap, and skips the step
-- (on PGlite it costs about a quarter of a one-message batch).
CREATE OR REPLACE FUNCTION append_messages(batch jsonb, lock_in_order boolean)
RETURNS TABLE (message_id uuid, message_seq bigint)
LANGUAGE plpgsql
AS $$
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
      reply_to bigint, mentions uuid[], mentions_all boolean, data jsonb, flags jsonb, created_at timestamptz
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
  INSERT INTO messages AS m (id, room_id, seq, sender_id, client_msg_id, kind, text, reply_to, mentions, mentions_all, data, flags, created_at)
  SELECT d.id, d.room_id, b.last_seq - b.n + d.ord, d.sender_id, d.client_msg_id, d.kind, d.text, d.reply_to,
         coalesce(d.mentions, '{}'), coalesce(d.mentions_all, false), d.data, d.flags, d.created_at
  FROM drafts d
  JOIN bumped b ON b.id = d.room_id
  RETURNING m.id, m.seq;
END
$$;
