/**
 * Previews of links in messages (the card under a link in WeChat or Telegram). After a message is
 * stored and acknowledged, the first http(s) link it carries is previewed: from the cache when a
 * fresh entry exists, otherwise fetched by the page source (server/previews/, public addresses
 * only) and kept for a day. What the page says about itself is text a stranger wrote, so its
 * title and description go through the room's content rules like a message; a page they would
 * not let through gets no preview. The preview reaches the room as a `preview` change. Nothing
 * here ever delays or fails a send.
 */
import type { LinkPreview, Message } from '../../shared/schemas.ts';
import { findCachedPreview, savePreview } from '../store/link-previews.ts';
import { safetyPolicyOf } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { commitEvent } from './room-events.ts';
import { policyFor } from './safety-gate.ts';

/** What the previewer needs from the network: the page's own words about itself, or null. */
export interface PageSource {
  preview(url: string, signal: AbortSignal): Promise<Omit<LinkPreview, 'url'> | null>;
}

const FRESH_FOR_MS = 24 * 3600 * 1000;
/** Pages fetched at once by one gateway; more wait their turn. */
const CONCURRENCY = 2;
const QUEUE_LIMIT = 200;

export class LinkPreviewer {
  private readonly queue: Message[] = [];
  private running = 0;
  private readonly stopping = new AbortController();
  private readonly idle = new Set<Promise<void>>();

  constructor(
    private readonly deps: DomainDeps,
    private readonly pages: PageSource,
  ) {}

  /** A message was stored and delivered without a safety finding: preview its first link, behind the ack. */
  messageStored(message: Message): void {
    if (!this.deps.config.linkPreviews || message.kind !== 'text' || this.stopping.signal.aborted) return;
    if (linkToPreview(message.text) === null) return;
    // Under a burst the oldest waiting previews are dropped, not the conversation slowed.
    if (this.queue.length >= QUEUE_LIMIT) this.queue.shift();
    this.queue.push(message);
    this.pump();
  }

  /** Stops fetching: pages in flight are abandoned. */
  async close(): Promise<void> {
    this.stopping.abort();
    this.queue.length = 0;
    await Promise.allSettled([...this.idle]);
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      const message = this.queue.shift()!;
      this.running++;
      const work = this.previewOne(message)
        .catch((error: unknown) => this.deps.log.warn({ err: error, roomId: message.roomId, seq: message.seq }, 'link preview failed'))
        .finally(() => {
          this.running--;
          this.idle.delete(work);
          this.pump();
        });
      this.idle.add(work);
    }
  }

  private async previewOne(message: Message): Promise<void> {
    const url = linkToPreview(message.text);
    if (url === null) return;
    const preview = await this.previewOf(url, message);
    if (preview === null || this.stopping.signal.aborted) return;
    await commitEvent(this.deps, { kind: 'message.previewed', roomId: message.roomId, seq: message.seq, previews: [preview] });
  }

  private async previewOf(url: string, message: Message): Promise<LinkPreview | null> {
    const cached = await findCachedPreview(this.deps.db, url, new Date(Date.now() - FRESH_FOR_MS));
    // A page judged for one room may not pass another's rules: the cache keeps what the page said.
    const page = cached.found ? cached.preview : await this.fetchAndKeep(url);
    if (page === null) return null;
    return (await this.passesRules(page, message)) ? page : null;
  }

  private async fetchAndKeep(url: string): Promise<LinkPreview | null> {
    let preview: LinkPreview | null = null;
    try {
      const page = await this.pages.preview(url, this.stopping.signal);
      preview = page ? { url, ...page } : null;
    } catch (error) {
      if (this.stopping.signal.aborted) return null;
      // Unreachable, refused (a private address) or too slow: nothing to show, remembered as such.
      this.deps.log.debug({ err: error, url }, 'no link preview');
    }
    await savePreview(this.deps.db, url, preview);
    return preview;
  }

  private async passesRules(preview: LinkPreview, message: Message): Promise<boolean> {
    const text = [preview.title, preview.description, preview.siteName].filter(Boolean).join('\n');
    const verdict = this.deps.safety.inspect(text, {
      roomId: message.roomId,
      // Judged as a member's words, not the sender's: the page is not theirs, and probation is about them.
      sender: { id: message.sender?.id ?? '', role: 'member', joinedAt: new Date(0) },
      policy: policyFor(message.roomId, await safetyPolicyOf(this.deps.db, message.roomId)),
      now: Date.now(),
    }, { skip: ['probation'] });
    return verdict.action === 'allow';
  }
}

/** The first link written out with http(s)://, without credentials in it; trailing punctuation is not part of it. */
export function linkToPreview(text: string): string | null {
  for (const found of text.matchAll(/https?:\/\/[^\s<>"'\u3000-\u303f\uff01-\uff0f]+/gi)) {
    try {
      const url = new URL(found[0].replace(/[).,!?;:\]}]+$/, ''));
      if (url.username || url.password) continue;
      return url.toString();
    } catch {
      continue;
    }
  }
  return null;
}
