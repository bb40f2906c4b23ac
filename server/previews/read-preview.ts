/**
 * What a page says about itself for a preview: Open Graph first (og:title, og:description,
 * og:image, og:site_name), then the <title> and the meta description. Read with htmlparser2 up to
 * the end of <head>; values are trimmed to what a preview card shows.
 */
import { Parser } from 'htmlparser2';

export interface PagePreview {
  title: string;
  description: string | null;
  /** An absolute https URL of the page's picture, or null. */
  image: string | null;
  siteName: string | null;
}

const MAX_TITLE = 200;
const MAX_DESCRIPTION = 400;

export function readPreview(html: string, pageUrl: string): PagePreview | null {
  const meta = new Map<string, string>();
  let title = '';
  let inTitle = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'title') inTitle = true;
        if (name === 'meta') {
          const key = (attributes.property ?? attributes.name ?? '').toLowerCase();
          if (key && attributes.content && !meta.has(key)) meta.set(key, attributes.content);
        }
        if (name === 'body') done = true;
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'head') done = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // Feed in slices so a page without </head> stops being read once <body> starts.
  for (let at = 0; at < html.length && !done; at += 8192) parser.write(html.slice(at, at + 8192));
  parser.end();

  const chosenTitle = clean(meta.get('og:title') ?? meta.get('twitter:title') ?? title, MAX_TITLE);
  if (!chosenTitle) return null;
  const description = clean(meta.get('og:description') ?? meta.get('twitter:description') ?? meta.get('description') ?? '', MAX_DESCRIPTION);
  return { title: chosenTitle, description: description || null, image: imageUrl(meta.get('og:image') ?? meta.get('twitter:image'), pageUrl), siteName: clean(meta.get('og:site_name') ?? '', 100) || null };
}

function clean(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function imageUrl(raw: string | undefined, pageUrl: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), pageUrl);
    // Clients load it themselves: never a plain-HTTP or odd-scheme address.
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
