-- What a room's staff decided about messages the safety rules held or members reported: labelled
-- examples the room learns from (a near-identical text to a rejected one is held at once, to an
-- approved one passes), exportable as training data for the text model.
CREATE TABLE "safety_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"room_id" uuid NOT NULL,
	"sender_id" uuid,
	"decided_by" uuid,
	"decision" text NOT NULL,
	"source" text NOT NULL,
	"text" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "safety_decisions" ADD CONSTRAINT "safety_decisions_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "safety_decisions_room_idx" ON "safety_decisions" USING btree ("room_id","decided_at");
