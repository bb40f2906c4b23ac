ALTER TABLE "attachments" ADD COLUMN "phash" bigint;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "safety_reasons" jsonb;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "decided_by" uuid;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_phash_recent_idx" ON "attachments" USING btree ("created_at") WHERE "attachments"."phash" is not null;--> statement-breakpoint
CREATE INDEX "attachments_held_idx" ON "attachments" USING btree ("room_id","created_at") WHERE "attachments"."status" = 'held';--> statement-breakpoint
CREATE INDEX "attachments_decided_idx" ON "attachments" USING btree ("room_id","decided_at" DESC NULLS LAST) WHERE "attachments"."decided_at" is not null;
