ALTER TABLE "rooms" ADD COLUMN "keep_image_originals" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "duration_seconds" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "original_sha256" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "original" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumb_sha256" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumb_size" bigint;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumb_mime" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumb_width" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumb_height" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "display_sha256" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "display_size" bigint;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "display_mime" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "display_width" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "display_height" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "thumbhash" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "exif" jsonb;--> statement-breakpoint
CREATE INDEX "attachments_thumb_sha256_idx" ON "attachments" USING btree ("thumb_sha256");--> statement-breakpoint
CREATE INDEX "attachments_display_sha256_idx" ON "attachments" USING btree ("display_sha256");
