/**
 * The open room's message list: stored and pending messages in reading order, scrolling back
 * without limit; the newest kept in view while things load above it; the "new messages" divider
 * and the jumps to the first unread and to @me; one tab stop, with the arrows inside.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { t } from '../i18n/index.ts';
import { firstMentionOf, firstUnread, timelineItems, unsettled, type Timeline } from '../state/timeline.ts';
import { useStore } from './common.tsx';
import { MessageItem, PendingItem, type MessageActions } from './message.tsx';

/** Brings a message into view (loading older pages, or the history around it when far back) and flashes it. */
export async function jumpTo(store: ReturnType<typeof useStore>, roomId: string, seq: number): Promise<boolean> {
  if (!(await store.windows.reveal(roomId, seq))) return false;
  // Twice: once for the render of the loaded pages, once for the scroll-keeping layout effect.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const el = document.querySelector<HTMLElement>(`.messages li[data-seq="${seq}"]`);
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  el.classList.add('flash');
  el.focus({ preventScroll: true });
  setTimeout(() => el.classList.remove('flash'), 2000);
  return true;
}


export function MessageList({ roomId, tl, staff, actions }: { roomId: string; tl: Timeline; staff: boolean; actions: MessageActions }) {
  const store = useStore();
  const scroller = useRef<HTMLDivElement>(null);
  const previous = useRef<{ roomId: string; first: number | null; height: number; count: number }>({ roomId: '', first: null, height: 0, count: 0 });
  const myId = store.me?.id ?? '';
  const myUsername = store.me?.username ?? null;
  const nameOf = (id: string) => (id === store.me?.id ? store.me.displayName : store.names.get(id));
  const outbox = store.outbox.of(roomId);
  const pending = unsettled(tl, outbox);

  // Keep the reader's place: older pages grow the list upwards, new messages stick to the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = tl.messages[0]?.seq ?? null;
    const prev = previous.current;
    const count = tl.messages.length + pending.length;
    if (prev.roomId !== roomId) {
      el.scrollTop = el.scrollHeight;
    } else if (prev.first !== null && first !== null && first < prev.first) {
      el.scrollTop += el.scrollHeight - prev.height;
    } else if (count !== prev.count && store.reading.atBottom) {
      el.scrollTop = el.scrollHeight;
    }
    previous.current = { roomId, first, height: el.scrollHeight, count };
    // A first page shorter than the screen leaves nothing to scroll: keep loading.
    if (tl.loaded && tl.hasOlder && !tl.loadingOlder && el.scrollHeight <= el.clientHeight + 50) void store.pages.older(roomId);
    if (tl.newerAfter !== null && el.scrollHeight <= el.clientHeight + 50) void store.windows.loadNewer(roomId);
  });

  // Reading the newest messages stays reading them when the list or its box changes size: a
  // picture or a preview loading, the pins or the announcement bar appearing above, the reasons
  // under a blocked message of mine. Otherwise the newest message slips under the composer.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // Judged by the sizes before the change: a scroll event that lands between the growth and
    // this callback would already read "not at the bottom".
    let before = { height: el.scrollHeight, client: el.clientHeight };
    const observer = new ResizeObserver(() => {
      // Far back in the history (a jump): the bottom of the list is not the newest message.
      if (store.timeline(roomId).newerAfter !== null) return;
      const wasAtBottom = store.reading.atBottom || before.height - el.scrollTop - before.client < 48;
      if (wasAtBottom) {
        el.scrollTop = el.scrollHeight;
        store.reading.setAtBottom(true);
      }
      before = { height: el.scrollHeight, client: el.clientHeight };
    });
    observer.observe(el);
    const list = el.querySelector('.messages');
    if (list) observer.observe(list);
    return () => observer.disconnect();
  }, [roomId]);

  // Where I had read up to when I opened the room: the divider, and the two jumps.
  const mark = store.reading.marks.get(roomId);
  const unreadFrom = mark && mark.unread > 0 ? firstUnread(tl, mark.readUpTo, myId) : null;
  const [used, setUsed] = useState({ roomId, unread: false, mention: false });
  const usedHere = used.roomId === roomId ? used : { roomId, unread: false, mention: false };
  const use = (which: 'unread' | 'mention') => setUsed({ ...usedHere, [which]: true });
  const dividerInView = () => {
    const el = scroller.current;
    const divider = el?.querySelector('.unread-divider');
    if (!el || !divider) return false;
    const box = divider.getBoundingClientRect();
    const view = el.getBoundingClientRect();
    return box.bottom >= view.top && box.top <= view.bottom;
  };
  useEffect(() => {
    if (!usedHere.unread && unreadFrom && dividerInView()) use('unread');
  });
  const jump = async (which: 'unread' | 'mention') => {
    if (!mark) return;
    use(which);
    // The first unread may be further up than the loaded pages: load back to it first.
    await store.pages.backTo(roomId, mark.readUpTo + 1);
    const target = which === 'unread' ? firstUnread(tl, mark.readUpTo, myId) : firstMentionOf(tl, mark.readUpTo, myId);
    if (target) await jumpTo(store, roomId, target.seq);
  };

  // The list is one tab stop (a roving tabindex, as in a listbox): only the message last visited
  // takes focus from Tab, the arrows move between messages, Enter goes into one's buttons. The
  // buttons inside messages are reached that way, not by Tab (33 presses in an 11-message room).
  const active = useRef<string | null>(null);
  const itemsOf = () => [...(scroller.current?.querySelectorAll<HTMLElement>('.messages > li[data-seq], .messages > li[data-client-msg-id]') ?? [])];
  const keyOf = (li: HTMLElement) => li.dataset.seq ?? `pending:${li.dataset.clientMsgId}`;
  useLayoutEffect(() => {
    const items = itemsOf();
    const current = items.find((li) => keyOf(li) === active.current) ?? items.at(-1);
    for (const li of items) {
      li.tabIndex = li === current ? 0 : -1;
      for (const inner of li.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, video[controls], audio[controls], [tabindex]')) inner.tabIndex = -1;
    }
  });
  const onListKey = (event: KeyboardEvent) => {
    const li = event.target as HTMLElement;
    const items = itemsOf();
    const at = items.indexOf(li);
    if (at === -1) {
      const inside = (event.target as HTMLElement).closest<HTMLElement>('.messages > li');
      // Inside a message's buttons: Escape goes back to the message.
      if (event.key === 'Escape') inside?.focus();
      // ← and → move between its controls (the name, the toolbar, the ⋯ menu), which Tab skips; not
      // inside a box being typed in (the caret moves there).
      else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && inside && !(event.target as HTMLElement).matches('input, textarea')) {
        const controls = [...inside.querySelectorAll<HTMLElement>('a[href], button, summary, video[controls], audio[controls]')]
          // Not what a closed menu holds (Chromium keeps its boxes, hidden by content-visibility).
          .filter((el) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0));
        const from = controls.indexOf(event.target as HTMLElement);
        if (from === -1 || controls.length < 2) return;
        event.preventDefault();
        controls[(from + (event.key === 'ArrowRight' ? 1 : controls.length - 1)) % controls.length]!.focus();
      }
      return;
    }
    const to = event.key === 'ArrowUp' ? at - 1 : event.key === 'ArrowDown' ? at + 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
    if (to !== null) {
      event.preventDefault();
      items[Math.max(0, Math.min(items.length - 1, to))]?.focus();
    } else if (event.key === 'Enter' && event.target === li) {
      const first = li.querySelector<HTMLElement>('a[href], button, summary, video[controls], audio[controls]');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  const onListFocus = (event: FocusEvent) => {
    const li = (event.target as HTMLElement).closest<HTMLElement>('.messages > li');
    if (!li || !itemsOf().includes(li) || keyOf(li) === active.current) return;
    active.current = keyOf(li);
    for (const item of itemsOf()) item.tabIndex = item === li ? 0 : -1;
  };

  const onScroll = (event: TargetedEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    store.reading.setAtBottom(tl.newerAfter === null && fromBottom < 48);
    if (el.scrollTop < 300) void store.pages.older(roomId);
    if (tl.newerAfter !== null && fromBottom < 400) void store.windows.loadNewer(roomId);
    if (!usedHere.unread && unreadFrom && dividerInView()) use('unread');
  };

  // Scrolled up while messages arrive: say so, and take the reader down on a click.
  const unread = store.rooms.get(roomId)?.unread ?? 0;
  const newBelow = !store.reading.atBottom && unread > 0;

  return (
    <div class="timeline" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-relevant="additions" tabIndex={-1}>
      {mark && ((mark.unread > 0 && !usedHere.unread) || (mark.mentions > 0 && !usedHere.mention)) && (
        <div class="jump-bar">
          {mark.unread > 0 && !usedHere.unread && (
            <button type="button" class="small jump-unread" onClick={() => void jump('unread')}>
              ↑ {t('chat.jumpUnread', { count: mark.unread >= 1000 ? '999+' : mark.unread })}
            </button>
          )}
          {mark.mentions > 0 && !usedHere.mention && (
            <button type="button" class="small jump-mention" onClick={() => void jump('mention')}>
              @ {t('chat.jumpMention')}
            </button>
          )}
        </div>
      )}
      <p class="timeline-edge muted">{!tl.loaded || tl.loadingOlder ? t('chat.loadingOlder') : tl.hasOlder ? '' : t('chat.beginning')}</p>
      <ol class="messages" onKeyDown={onListKey} onFocusIn={onListFocus}>
        {/* People I blocked: hidden at once (the server leaves out what comes after). */}
        {timelineItems(tl, outbox).filter((item) => item.kind === 'pending' || !store.people.isBlocked(item.message.sender?.id)).map((item) => {
          if (item.kind === 'pending') {
            const p = item.pending;
            return <PendingItem key={p.clientMsgId} pending={p} name={store.me?.displayName ?? ''} myId={myId} onRetry={() => store.retry(p)} onDiscard={() => store.outbox.discard(p)} />;
          }
          const message = item.message;
          const divider = message.seq === unreadFrom?.seq && (
            <li key="unread-divider" class="unread-divider" role="separator" aria-label={t('chat.unreadDivider')}>
              <span>{t('chat.unreadDivider')}</span>
            </li>
          );
          return [
            divider,
          <MessageItem
            key={message.seq}
            message={message}
            replyTarget={message.replyTo !== null ? (tl.bySeq.get(message.replyTo) ?? null) : null}
            mine={message.sender?.id === myId}
            canModerate={staff}
            pinned={tl.pins.has(message.seq)}
            hidden={tl.hidden.has(message.seq)}
            reactions={tl.reactions.get(message.seq) ?? []}
            previews={tl.previews.get(message.seq) ?? []}
            members={tl.members}
            myUsername={myUsername}
            nameOf={nameOf}
            actions={actions}
          />,
          ];
        })}
      </ol>
      {tl.newerAfter !== null && <p class="timeline-edge muted">{t('history.loadingNewer')}</p>}
      {tl.newerAfter !== null && (
        <button
          type="button"
          class="new-below back-to-newest"
          onClick={() => void store.windows.backToNewest(roomId).then(() => requestAnimationFrame(() => scroller.current?.scrollTo({ top: scroller.current.scrollHeight })))}
        >
          ↓ {t('history.newest')}
        </button>
      )}
      {newBelow && tl.newerAfter === null && (
        <button type="button" class="new-below" onClick={() => scroller.current?.scrollTo({ top: scroller.current.scrollHeight })}>
          ↓ {t('chat.newMessages')} ({unread >= 1000 ? '999+' : unread})
        </button>
      )}
    </div>
  );
}

