/** The network side of link previews: fetch the page (public addresses only) and read what it says about itself. */
import type { Config } from '../config.ts';
import type { PageSource } from '../domain/link-previews.ts';
import { fetchPage } from './fetch-page.ts';
import { readPreview } from './read-preview.ts';

const MAX_REDIRECTS = 4;

export function createPageSource(config: Pick<Config, 'linkPreviewTimeoutMs' | 'linkPreviewMaxBytes' | 'linkPreviewAllowLoopback'>): PageSource {
  return {
    async preview(url, signal) {
      const page = await fetchPage(url, {
        timeoutMs: config.linkPreviewTimeoutMs,
        maxBytes: config.linkPreviewMaxBytes,
        maxRedirects: MAX_REDIRECTS,
        allowLoopback: config.linkPreviewAllowLoopback,
        signal,
      });
      if (!page) return null;
      const preview = readPreview(page.html, page.url);
      return preview ? { finalUrl: page.url, ...preview } : null;
    },
  };
}
