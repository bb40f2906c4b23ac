ALTER TABLE "attachments" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "attachments_album_idx" ON "attachments" USING btree ("room_id","seq" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "attachments"."seq" is not null and "attachments"."removed_at" is null and "attachments"."kind" in ('image', 'video');--> statement-breakpoint
CREATE INDEX "attachments_files_idx" ON "attachments" USING btree ("room_id","seq" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "attachments"."seq" is not null and "attachments"."removed_at" is null and "attachments"."kind" in ('audio', 'file');--> statement-breakpoint
CREATE INDEX "attachments_unsent_idx" ON "attachments" USING btree ("created_at") WHERE "attachments"."seq" is null and "attachments"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "attachments_unreleased_idx" ON "attachments" USING btree ("removed_at") WHERE "attachments"."removed_at" is not null and "attachments"."released_at" is null;--> statement-breakpoint
CREATE INDEX "attachments_recalled_idx" ON "attachments" USING btree ("recalled_at") WHERE "attachments"."recalled_at" is not null and "attachments"."removed_at" is null;
