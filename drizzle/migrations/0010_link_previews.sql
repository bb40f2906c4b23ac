-- Link previews, cached per URL: what the page said (or that it gave nothing to show), so a link
-- posted again, in any room, is not fetched again while the entry is fresh.
CREATE TABLE "link_previews" (
	"url" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"final_url" text,
	"title" text,
	"description" text,
	"image" text,
	"site_name" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
