/** The open room: header, announcement, the timeline (scrolling back without limit), composer. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import type { Message, Room } from '../../../../shared/schemas.ts';
import { memberCount, t } from '../i18n/index.ts';
import type { View, WireError } from '../state/store.ts';
import { firstMentionOf, firstUnread, timelineItems, unsettled, type Timeline } from '../state/timeline.ts';
import { Badge, ErrorLine, toWireError, useStore } from './common.tsx';
import { MessageItem, PendingItem, type MessageActions } from './message.tsx';
import { ReportDialog } from './report.tsx';
import { askJoinQuestion } from './discover.tsx';
import { confirmFirst } from './dialog.tsx';
import { useUploads } from './composer-uploads.tsx';
import { Composer } from './composer.tsx';
import { attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';

export function ChatView({ roomId, navigate, onOpenPanel }: { roomId: string; navigate: (view: View) => void; onOpenPanel: () => void }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [reporting, setReporting] = useState<Message | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [dropping, setDropping] = useState(false);
  const uploads = useUploads(roomId);
  useEffect(() => {
    setReplyTo(null);
    setError(null);
    // Opening a room is for writing in it: the box takes focus, except on touch screens, where
    // focus would throw the keyboard over the messages one came to read.
    if (matchMedia('(pointer: fine)').matches) document.getElementById('composer-input')?.focus({ preventScroll: true });
  }, [roomId]);

  if (!entry) return <RoomPreview roomId={roomId} navigate={navigate} />;
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  const tl = store.timeline(roomId);
  const staff = entry.role === 'owner' || entry.role === 'admin';
  const queue = staff ? store.staffQueues.get(roomId) : undefined;
  const waiting = queue ? queue.joinRequests + queue.review : 0;

  const run = (work: Promise<unknown>) => {
    setError(null);
    work.catch((e: unknown) => setError(toWireError(e)));
  };
  const actions: MessageActions = {
    reply: (message) => {
      setReplyTo(message);
      document.getElementById('composer-input')?.focus();
    },
    react: (message, emoji) => run(store.react(roomId, message.seq, emoji)),
    recall: (message) => {
      confirmFirst(t('chat.recallConfirm'), { confirmLabel: t('chat.recall') }, () => run(store.recall(roomId, message.seq)));
    },
    report: (message) => setReporting(message),
    pin: (message) => run(store.togglePin(roomId, message.seq)),
  };

  return (
    <section
      class={dropping ? 'chat dropping' : 'chat'}
      aria-label={entry.room.name}
      data-drop-label={t('media.dropHere')}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDropping(false);
        if (e.dataTransfer?.files.length) uploads.add(e.dataTransfer.files);
      }}
    >
      <header class="chat-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <div class="chat-title">
          <h2>{entry.room.name}</h2>
          <p class="muted">
            {memberCount(entry.room.memberCount)}
            {tl.presence && (
              <span class="online-count">
                {' · '}
                <span class="dot" aria-hidden="true" />
                {t('rooms.online', { count: tl.presence.count })}
              </span>
            )}
          </p>
        </div>
        <button type="button" class="ghost panel-button" onClick={onOpenPanel} aria-label={t('panel.open')}>
          ⋯
          {waiting > 0 && (
            <span class="staff-badge" title={t('staff.pending', { count: waiting })}>
              <Badge count={waiting} label={t('staff.pending', { count: waiting })} />
            </span>
          )}
        </button>
      </header>
      <AnnouncementBar roomId={roomId} tl={tl} />
      <PinsBar roomId={roomId} tl={tl} staff={staff} onError={setError} />
      <ErrorLine error={error} />
      <MessageList roomId={roomId} tl={tl} staff={staff} actions={actions} />
      <TypingLine tl={tl} />
      <Composer roomId={roomId} room={entry.room} role={entry.role} members={tl.members} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} uploads={uploads} />
      {reporting && <ReportDialog roomId={roomId} message={reporting} onClose={() => setReporting(null)} />}
    </section>
  );
}

function RoomPreview({ roomId, navigate }: { roomId: string; navigate: (view: View) => void }) {
  const store = useStore();
  const [room, setRoom] = useState<Room | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    store.client.getRoom(roomId).then(setRoom, (e: unknown) => setError(toWireError(e)));
  }, [roomId]);
  const join = async () => {
    try {
      const answer = room ? await askJoinQuestion(room) : undefined;
      if (answer === null) return;
      if ((await store.joinRoom(roomId, answer)) === 'requested') setNotice(t('rooms.requested'));
    } catch (e) {
      setError(toWireError(e));
    }
  };
  return (
    <section class="chat preview">
      <header class="chat-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <div class="chat-title">
          <h2>{room?.name ?? '…'}</h2>
          {room && <p class="muted">{memberCount(room.memberCount)}</p>}
        </div>
      </header>
      <div class="preview-body">
        {room?.topic && <p>{room.topic}</p>}
        <ErrorLine error={error} />
        {notice && <p class="notice">{notice}</p>}
        {room && (
          <button type="button" class="primary" onClick={() => void join()}>
            {t('rooms.join')}
          </button>
        )}
      </div>
    </section>
  );
}

function AnnouncementBar({ roomId, tl }: { roomId: string; tl: Timeline }) {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const current = tl.announcement;
  if (!current) return null;
  return (
    <aside class={current.readByMe ? 'announcement read' : 'announcement'} aria-label={t('announcement.title')}>
      <button type="button" class="announcement-text" aria-expanded={open} onClick={() => setOpen(!open)}>
        <strong>📢 {t('announcement.title')}</strong> <span class={open ? '' : 'clamp'}>{current.announcement.text}</span>
      </button>
      {current.readByMe ? (
        <span class="muted small">{t('announcement.readDone')}</span>
      ) : (
        <button type="button" class="primary small" onClick={() => void store.markAnnouncementRead(roomId).catch(() => {})}>
          {t('announcement.read')}
        </button>
      )}
    </aside>
  );
}

/** Brings a message into view (loading older pages if needed) and flashes it. */
async function jumpTo(store: ReturnType<typeof useStore>, roomId: string, seq: number): Promise<boolean> {
  if (!(await store.loadBackTo(roomId, seq))) return false;
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

/** 置顶: the room's pinned messages, newest pin first; the newest shown, the rest on demand. */
function PinsBar({ roomId, tl, staff, onError }: { roomId: string; tl: Timeline; staff: boolean; onError: (error: WireError | null) => void }) {
  const store = useStore();
  const [open, setOpen] = useState(false);
  if (tl.pinList.length === 0) return null;
  const shown = open ? tl.pinList : tl.pinList.slice(0, 1);
  const jump = (seq: number) => {
    onError(null);
    jumpTo(store, roomId, seq).then(
      (found) => found || onError({ code: 'PIN_NOT_LOADED', message: t('pins.notLoaded') }),
      (e: unknown) => onError(toWireError(e)),
    );
  };
  return (
    <aside class="pins" aria-label={t('pins.title')}>
      <ul class="pin-list">
        {shown.map((pin) => {
          const message = tl.bySeq.get(pin.seq) ?? pin.message;
          const hidden = tl.hidden.has(pin.seq);
          return (
            <li key={pin.seq} class="pin" data-seq={pin.seq}>
              <button type="button" class="pin-jump" title={t('pins.jump')} onClick={() => jump(pin.seq)}>
                <span aria-hidden="true">📌 </span>
                <strong>{message.sender?.displayName ?? t('chat.system')}</strong>: <span class="pin-text">{hidden ? t('chat.hidden') : message.text || attachmentSummary(attachmentsOf(message))}</span>
              </button>
              {staff && (
                <button type="button" class="ghost small" aria-label={`${t('chat.unpin')} #${pin.seq}`} onClick={() => store.togglePin(roomId, pin.seq).catch((e: unknown) => onError(toWireError(e)))}>
                  ✕
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {tl.pinList.length > 1 && (
        <button type="button" class="link small pins-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('pins.hide') : t('pins.count', { count: tl.pinList.length })}
        </button>
      )}
    </aside>
  );
}

function MessageList({ roomId, tl, staff, actions }: { roomId: string; tl: Timeline; staff: boolean; actions: MessageActions }) {
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
    } else if (count !== prev.count && store.atBottom) {
      el.scrollTop = el.scrollHeight;
    }
    previous.current = { roomId, first, height: el.scrollHeight, count };
    // A first page shorter than the screen leaves nothing to scroll: keep loading.
    if (tl.loaded && tl.hasOlder && !tl.loadingOlder && el.scrollHeight <= el.clientHeight + 50) void store.loadOlder(roomId);
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
      const wasAtBottom = store.atBottom || before.height - el.scrollTop - before.client < 48;
      if (wasAtBottom) {
        el.scrollTop = el.scrollHeight;
        store.setAtBottom(true);
      }
      before = { height: el.scrollHeight, client: el.clientHeight };
    });
    observer.observe(el);
    const list = el.querySelector('.messages');
    if (list) observer.observe(list);
    return () => observer.disconnect();
  }, [roomId]);

  // Where I had read up to when I opened the room: the divider, and the two jumps.
  const mark = store.readMarks.get(roomId);
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
    await store.loadBackTo(roomId, mark.readUpTo + 1);
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
      // Inside a message's buttons: Escape goes back to the message.
      if (event.key === 'Escape') (event.target as HTMLElement).closest<HTMLElement>('.messages > li')?.focus();
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
    store.setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    if (el.scrollTop < 300) void store.loadOlder(roomId);
    if (!usedHere.unread && unreadFrom && dividerInView()) use('unread');
  };

  // Scrolled up while messages arrive: say so, and take the reader down on a click.
  const unread = store.rooms.get(roomId)?.unread ?? 0;
  const newBelow = !store.atBottom && unread > 0;

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
        {timelineItems(tl, outbox).map((item) => {
          if (item.kind === 'pending') {
            const p = item.pending;
            return <PendingItem key={p.clientMsgId} pending={p} name={store.me?.displayName ?? ''} myId={myId} onRetry={() => store.retry(p)} onDiscard={() => store.discard(p)} />;
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
      {newBelow && (
        <button type="button" class="new-below" onClick={() => scroller.current?.scrollTo({ top: scroller.current.scrollHeight })}>
          ↓ {t('chat.newMessages')} ({unread >= 1000 ? '999+' : unread})
        </button>
      )}
    </div>
  );
}

function TypingLine({ tl }: { tl: Timeline }) {
  const now = Date.now();
  const names = [...tl.typing.values()].filter((x) => x.until > now).map((x) => x.name);
  const text =
    names.length === 0 ? '' : names.length === 1 ? t('chat.typing.one', { name: names[0]! }) : names.length === 2 ? t('chat.typing.two', { a: names[0]!, b: names[1]! }) : t('chat.typing.many');
  return (
    <p class="typing muted" aria-live="polite">
      {text}
    </p>
  );
}
