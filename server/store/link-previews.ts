/** The cache of link previews, per URL. */
import { and, eq, gt } from 'drizzle-orm';
import { linkPreviews } from '../../drizzle/schema.ts';
import type { LinkPreview } from '../../shared/schemas.ts';
import type { Executor } from './db.ts';

export type CachedPreview = { found: true; preview: LinkPreview | null } | { found: false };

/** A fresh entry (fetched after `since`): the preview, or null when the page gave none. */
export async function findCachedPreview(db: Executor, url: string, since: Date): Promise<CachedPreview> {
  const rows = await db
    .select()
    .from(linkPreviews)
    .where(and(eq(linkPreviews.url, url), gt(linkPreviews.fetchedAt, since)))
    .limit(1);
  const row = rows[0];
  if (!row) return { found: false };
  if (row.status !== 'ok' || !row.title) return { found: true, preview: null };
  return { found: true, preview: { url, finalUrl: row.finalUrl ?? url, title: row.title, description: row.description, image: row.image, siteName: row.siteName } };
}

export async function savePreview(db: Executor, url: string, preview: LinkPreview | null): Promise<void> {
  const values = preview
    ? { status: 'ok', finalUrl: preview.finalUrl, title: preview.title, description: preview.description, image: preview.image, siteName: preview.siteName, fetchedAt: new Date() }
    : { status: 'none', finalUrl: null, title: null, description: null, image: null, siteName: null, fetchedAt: new Date() };
  await db.insert(linkPreviews).values({ url, ...values }).onConflictDoUpdate({ target: linkPreviews.url, set: values });
}
