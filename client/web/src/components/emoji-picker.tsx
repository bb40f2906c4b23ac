/**
 * The emoji picker: the ones I used lately first, then Unicode's categories as tabs, and a
 * search box that finds emoji by their English or Chinese names. Opened with openEmojiPicker()
 * (a reaction's "more", the long-press sheet, the composer) and shown by <EmojiPickerHost />,
 * rendered once beside the timeline: inside the message list its buttons would lose their tab
 * stops to the list's roving tabindex.
 *
 * Keyboard: it opens in the search box; ↓ goes into the emoji, the arrows move among them, Enter
 * picks, Tab cycles search → tabs → emoji, Escape closes and gives the focus back.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getLang, t, type MessageKey } from '../i18n/index.ts';
import { CATEGORIES, RecentEmoji, inCategory, searchEmoji, type CatalogueEntry, type CategoryId } from '../state/emoji.ts';
import { loadEmojiCatalogue } from '../state/emoji-catalogue.ts';
import { useBackdropClose } from './dialog.tsx';

export interface PickerRequest {
  /** What picking does (a reaction, an insertion into the text). */
  onPick: (emoji: string) => void;
  /** Where the focus goes on closing; the element that had it when absent. */
  returnFocus?: () => HTMLElement | null;
  /** The control it opened from, to sit beside on a wide screen (a phone gets a bottom sheet). */
  anchor?: HTMLElement | null;
}

let show: ((request: PickerRequest | null) => void) | null = null;

export function openEmojiPicker(request: PickerRequest): void {
  show?.(request);
}

export function EmojiPickerHost() {
  const [request, setRequest] = useState<PickerRequest | null>(null);
  useEffect(() => {
    show = setRequest;
    return () => {
      show = null;
    };
  }, []);
  return request ? <EmojiPicker request={request} onClose={() => setRequest(null)} /> : null;
}

function pageStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

type Tab = 'recent' | CategoryId;

const TAB_NAMES: Record<Tab, MessageKey> = {
  recent: 'emoji.recent',
  smileys: 'emoji.smileys',
  people: 'emoji.people',
  animals: 'emoji.animals',
  food: 'emoji.food',
  activities: 'emoji.activities',
  travel: 'emoji.travel',
  objects: 'emoji.objects',
  symbols: 'emoji.symbols',
  flags: 'emoji.flags',
};

function EmojiPicker({ request, onClose }: { request: PickerRequest; onClose: () => void }) {
  const recents = useMemo(() => new RecentEmoji(pageStorage()), []);
  const recent = useMemo(() => recents.list(), []);
  const [catalogue, setCatalogue] = useState<readonly CatalogueEntry[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState<Tab>(recent.length > 0 ? 'recent' : 'smileys');
  const [active, setActive] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const before = useRef<HTMLElement | null>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    before.current = document.activeElement as HTMLElement | null;
    // The search box takes the focus, except on a touch screen: there its keyboard would cover the emoji.
    if (matchMedia('(pointer: fine)').matches) search.current?.focus();
    else frame.current?.focus({ preventScroll: true });
    // Beside its button on a wide screen, above it when there is room; a phone's is a bottom sheet (CSS).
    const anchor = request.anchor?.getBoundingClientRect();
    const box = frame.current?.getBoundingClientRect();
    if (anchor && box && window.innerWidth > 720) {
      const left = Math.min(Math.max(8, anchor.left), window.innerWidth - box.width - 8);
      const top = anchor.top - box.height - 6 >= 8 ? anchor.top - box.height - 6 : Math.min(anchor.bottom + 6, window.innerHeight - box.height - 8);
      setPlace({ left, top: Math.max(8, top) });
    }
  }, []);
  useEffect(() => {
    loadEmojiCatalogue().then(setCatalogue, () => setFailed(true));
  }, []);

  const names = useMemo(() => new Map((catalogue ?? []).map((e) => [e[0], e])), [catalogue]);
  const searching = query.trim() !== '';
  const shown: string[] = searching
    ? searchEmoji(catalogue ?? [], query).map((e) => e[0])
    : tab === 'recent'
      ? recent
      : inCategory(catalogue ?? [], tab).map((e) => e[0]);
  const at = Math.min(active, Math.max(0, shown.length - 1));
  const nameOf = (emoji: string) => {
    const entry = names.get(emoji);
    if (!entry) return emoji;
    return getLang() === 'zh-CN' && entry[4] ? entry[4] : entry[2];
  };

  const close = () => {
    onClose();
    const back = request.returnFocus?.() ?? before.current;
    if (back?.isConnected) back.focus({ preventScroll: true });
  };
  const backdrop = useBackdropClose(close);
  const pick = (emoji: string) => {
    recents.use(emoji);
    close();
    request.onPick(emoji);
  };

  const cells = () => [...(frame.current?.querySelectorAll<HTMLElement>('.emoji-cell') ?? [])];
  const focusCell = (index: number) => {
    const list = cells();
    if (list.length === 0) return;
    const next = Math.max(0, Math.min(list.length - 1, index));
    setActive(next);
    list[next]!.focus();
    list[next]!.scrollIntoView({ block: 'nearest' });
  };
  const columns = () => {
    const grid = frame.current?.querySelector<HTMLElement>('.emoji-grid');
    return grid ? Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(' ').length) : 8;
  };
  const tabs: Tab[] = [...(recent.length > 0 ? (['recent'] as const) : []), ...CATEGORIES.map((c) => c.id)];
  const chooseTab = (next: Tab, focus: boolean) => {
    setTab(next);
    setActive(0);
    if (focus) requestAnimationFrame(() => frame.current?.querySelector<HTMLElement>(`.emoji-tab[data-tab="${next}"]`)?.focus());
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      return;
    }
    if (event.key === 'Tab') {
      // One stop each: the search box, the current tab, the current emoji; round and round.
      const stops = [...(frame.current?.querySelectorAll<HTMLElement>('.emoji-search, [tabindex="0"]') ?? [])];
      const from = stops.indexOf(target);
      event.preventDefault();
      stops[(from + (event.shiftKey ? stops.length - 1 : 1) + stops.length) % stops.length]?.focus();
      return;
    }
    if (target === search.current) {
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        focusCell(0);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        if (shown[0]) pick(shown[0]);
      }
      return;
    }
    if (target.classList.contains('emoji-tab')) {
      const from = tabs.indexOf(target.dataset.tab as Tab);
      const to = event.key === 'ArrowRight' ? from + 1 : event.key === 'ArrowLeft' ? from - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
      if (to !== null) {
        event.preventDefault();
        chooseTab(tabs[(to + tabs.length) % tabs.length]!, true);
      } else if (event.key === 'ArrowDown') {
        event.preventDefault();
        focusCell(0);
      }
      return;
    }
    if (target.classList.contains('emoji-cell')) {
      const from = cells().indexOf(target);
      const width = columns();
      if (event.key === 'ArrowUp' && from < width) {
        event.preventDefault();
        (searching ? search.current : frame.current?.querySelector<HTMLElement>('.emoji-tab[tabindex="0"]'))?.focus();
        return;
      }
      const to = { ArrowRight: from + 1, ArrowLeft: from - 1, ArrowDown: from + width, ArrowUp: from - width, Home: 0, End: Number.MAX_SAFE_INTEGER }[event.key];
      if (to !== undefined) {
        event.preventDefault();
        focusCell(to);
      }
    }
  };

  const title = searching ? t('emoji.results') : t(TAB_NAMES[tab]);
  return (
    <div class="emoji-picker-backdrop" {...backdrop}>
      <div
        ref={frame}
        class="emoji-picker"
        role="dialog"
        aria-modal="true"
        aria-label={t('emoji.title')}
        tabIndex={-1}
        style={place ? { left: `${place.left}px`, top: `${place.top}px` } : undefined}
        data-placed={place ? '' : undefined}
        onKeyDown={onKeyDown}
      >
        <input
          ref={search}
          type="search"
          class="emoji-search"
          placeholder={t('emoji.search')}
          aria-label={t('emoji.search')}
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
        />
        <div class="emoji-tabs" role="tablist" aria-label={t('emoji.categories')} hidden={searching}>
          {tabs.map((id) => (
            <button
              type="button"
              role="tab"
              key={id}
              class="emoji-tab ghost"
              data-tab={id}
              aria-selected={tab === id}
              aria-label={t(TAB_NAMES[id])}
              title={t(TAB_NAMES[id])}
              tabIndex={!searching && tab === id ? 0 : -1}
              onClick={() => chooseTab(id, false)}
            >
              {id === 'recent' ? '🕘' : CATEGORIES.find((c) => c.id === id)!.icon}
            </button>
          ))}
        </div>
        <p class="emoji-section-title" id="emoji-section-title">
          {title}
        </p>
        <div class="emoji-grid" role="group" aria-labelledby="emoji-section-title">
          {shown.map((emoji, i) => (
            <button
              type="button"
              key={emoji}
              class="emoji-cell ghost"
              aria-label={nameOf(emoji)}
              title={nameOf(emoji)}
              tabIndex={i === at ? 0 : -1}
              onFocus={() => setActive(i)}
              onClick={() => pick(emoji)}
            >
              {emoji}
            </button>
          ))}
        </div>
        {shown.length === 0 && (
          <p class="muted emoji-empty" role="status">
            {failed ? t('emoji.loadFailed') : !catalogue ? t('common.loading') : searching ? t('emoji.noMatch') : ''}
          </p>
        )}
      </div>
    </div>
  );
}
