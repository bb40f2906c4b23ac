/**
 * Searching messages from a room: this room or all my rooms, results newest first with what
 * matched marked, "more" for the next page. Choosing a result opens its room at that message:
 * the history is loaded back to it, it is scrolled into the middle and flashes.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SearchResult } from '../../../../shared/schemas.ts';
import { errorText, formatDateTime, t } from '../i18n/index.ts';
import type { ChatStore, View } from '../state/store.ts';
import { MAX_SEARCH_QUERY_LENGTH, excerpt, highlightParts, type SearchScope } from '../state/search.ts';
import { attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';
import { useStore } from './common.tsx';
import { jumpTo } from './message-list.tsx';
import { roomTitle } from './dm-list.tsx';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens `roomId` (when it is not the open room) and brings message `seq` into view. Waits for
 * the room's first page and for a page already on its way (the list loads older pages as it
 * scrolls), so a busy moment does not read as "not found".
 */
export async function showMessage(store: ChatStore, navigate: (view: View) => void, roomId: string, seq: number): Promise<boolean> {
  if (store.view.kind !== 'room' || store.view.roomId !== roomId) navigate({ kind: 'room', roomId });
  const deadline = Date.now() + 30_000;
  while (!store.timeline(roomId).loaded && Date.now() < deadline) await sleep(50);
  while (Date.now() < deadline) {
    if (!store.timeline(roomId).loadingOlder) {
      // Near: paged back to; far: the history around it replaces the timeline (history-window.ts).
      const revealed = await store.windows.reveal(roomId, seq);
      if (revealed && (await jumpTo(store, roomId, seq))) return true;
      // Not in the history any more (recalled and purged, or hidden since it was found).
      if (!revealed && !store.timeline(roomId).loadingOlder) return false;
    }
    await sleep(100);
  }
  return false;
}

/** The search button of a room's header. */
export function SearchButton({ open, onClick }: { open: boolean; onClick: () => void }) {
  return (
    <button type="button" class="ghost search-button" id="room-search-button" aria-label={t('search.open')} title={t('search.open')} aria-expanded={open} onClick={onClick}>
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" />
      </svg>
    </button>
  );
}

export function SearchPanel({ roomId, onPick, onClose }: { roomId: string; onPick: (result: SearchResult) => void; onClose: () => void }) {
  const store = useStore();
  const search = store.search;
  const [, setTick] = useState(0);
  useEffect(() => search.subscribe(() => setTick((n) => n + 1)), [search]);
  const [text, setText] = useState(search.query);
  const [scope, setScope] = useState<SearchScope>(search.scope);
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => input.current?.focus(), []);
  // Over the room's messages, under its header (whose height the title's lines decide).
  useLayoutEffect(() => {
    const el = panel.current;
    const head = el?.parentElement?.querySelector<HTMLElement>('.chat-head');
    if (el && head) el.style.top = `${head.offsetTop + head.offsetHeight}px`;
  });

  // Typing searches after a pause, like the room list's search; Enter searches at once.
  useEffect(() => {
    if (text.trim() === search.query.trim() && scope === search.scope && (scope === 'all' || search.roomId === roomId)) return;
    const timer = setTimeout(() => void run(), 300);
    return () => clearTimeout(timer);
  }, [text, scope, roomId]);
  const run = () => {
    if (text.trim() === '') return search.clear();
    return search.run(text.trim(), scope, roomId);
  };

  const close = () => {
    onClose();
    requestAnimationFrame(() => document.getElementById('room-search-button')?.focus());
  };

  const roomName = (id: string) => {
    const entry = store.rooms.get(id);
    return entry ? roomTitle(store, entry) : '';
  };
  // Someone I blocked stays out of sight here too, as in the timeline.
  const results = search.results.filter((r) => !store.people.isBlocked(r.message.sender?.id));
  return (
    <section ref={panel} class="search-panel" aria-label={t('search.title')} onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), close())}>
      <form
        class="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input
          ref={input}
          type="search"
          class="search-input"
          maxLength={MAX_SEARCH_QUERY_LENGTH}
          placeholder={scope === 'room' ? t('search.placeholderRoom') : t('search.placeholderAll')}
          aria-label={scope === 'room' ? t('search.placeholderRoom') : t('search.placeholderAll')}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="button" class="ghost small" aria-label={t('search.close')} onClick={close}>
          ✕
        </button>
      </form>
      <div class="search-scope" role="group" aria-label={t('search.scope')}>
        {(['room', 'all'] as const).map((s) => (
          <button type="button" key={s} class={scope === s ? 'chip active' : 'chip'} aria-pressed={scope === s} onClick={() => setScope(s)}>
            {s === 'room' ? t('search.scopeRoom') : t('search.scopeAll')}
          </button>
        ))}
      </div>
      {search.error && (
        <p class="error-line" role="alert">
          {errorText(search.error)}
        </p>
      )}
      <p class="search-status muted small" role="status">
        {search.loading && search.results.length === 0 ? t('common.loading') : search.searched && search.results.length === 0 ? t('search.none') : ''}
      </p>
      {results.length > 0 && (
        <ol class="search-results">
          {results.map((result) => {
            const m = result.message;
            const shown = excerpt(m.text, result.highlights);
            return (
              <li key={`${m.roomId}:${m.seq}`}>
                <button type="button" class="search-result" data-seq={m.seq} data-room-id={m.roomId} onClick={() => onPick(result)}>
                  <span class="search-result-meta">
                    <strong>{m.sender?.displayName ?? t('chat.system')}</strong>
                    {search.scope === 'all' && roomName(m.roomId) && <span class="tag">{roomName(m.roomId)}</span>}
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                  </span>
                  <span class="search-result-text">
                    {m.text === ''
                      ? attachmentSummary(attachmentsOf(m))
                      : highlightParts(shown.text, shown.highlights).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : part.text))}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {search.hasMore && (
        <button type="button" class="search-more" disabled={search.loading} onClick={() => void search.more()}>
          {search.loading ? t('common.loading') : t('search.more')}
        </button>
      )}
    </section>
  );
}
