/**
 * Fetches the start of a web page for its preview, as a stranger would: public addresses only
 * (checked on the address dialled, at every redirect), no cookies or credentials, a few redirects
 * at most, a time limit for the whole fetch and a size limit on what is read. Only HTML is read;
 * anything else is not previewed.
 */
import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refuseLiteralHost } from '../net/public-dial.ts';

export interface FetchedPage {
  /** Where the page was finally found (after redirects). */
  url: string;
  html: string;
}

export interface PageFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Only for tests against a server on this machine; private networks stay refused. */
  allowLoopback: boolean;
  signal?: AbortSignal;
}

const USER_AGENT = 'QuanziLinkPreview/1 (+https://github.com/quanzi)';

/** The page's HTML, or null when there is nothing to preview (not HTML, an error status). Throws when refused or failed. */
export async function fetchPage(url: string, options: PageFetchOptions): Promise<FetchedPage | null> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return null;
    refuseLiteralHost(target, options.allowLoopback);
    const answer = await get(target, options, signal);
    if ('redirect' in answer) {
      if (hop >= options.maxRedirects) return null;
      target = new URL(answer.redirect, target);
      continue;
    }
    return answer.html === null ? null : { url: target.toString(), html: answer.html };
  }
}

function get(target: URL, options: PageFetchOptions, signal: AbortSignal): Promise<{ redirect: string } | { html: string | null }> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      {
        lookup: publicOnlyLookup(options.allowLoopback),
        signal,
        headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1', 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          return resolve({ redirect: location });
        }
        const type = String(response.headers['content-type'] ?? '');
        if (status !== 200 || !/^\s*(text\/html|application\/xhtml\+xml)/i.test(type)) {
          response.resume();
          return resolve({ html: null });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // The head is what a preview needs: stop reading past the limit.
          const room = options.maxBytes - size;
          if (room > 0) chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
          size += chunk.length;
          if (size >= options.maxBytes) {
            response.destroy();
            resolve({ html: decode(Buffer.concat(chunks), type) });
          }
        });
        response.on('end', () => resolve({ html: decode(Buffer.concat(chunks), type) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** Chinese sites still serve GBK; the charset comes from the header, else the page's own meta tag. */
function decode(bytes: Buffer, contentType: string): string {
  const declared = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(bytes.subarray(0, 2048).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
