/** The open room: header, announcement, the timeline (scrolling back without limit), composer. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TargetedEvent, TargetedKeyboardEvent } from 'preact';
import type { Member, Message, Room } from '../../../../shared/schemas.ts';
import { formatDateTime, memberCount, t } from '../i18n/index.ts';
import { timelineItems, type Timeline, type View, type WireError } from '../state.ts';
import { Badge, ErrorLine, toWireError, useStore } from './common.tsx';
import { MessageItem, PendingItem, type MessageActions } from './message.tsx';
import { ReportDialog } from './report.tsx';
import { askJoinQuestion } from './discover.tsx';
import { confirmFirst } from './dialog.tsx';
import { AttachButton, UploadTray, useUploads, type Uploads } from './composer-uploads.tsx';
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
  const pending = tl.pending.filter((p) => !tl.mine.has(p.clientMsgId));

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

  const onScroll = (event: TargetedEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    store.setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < 48);
    if (el.scrollTop < 300) void store.loadOlder(roomId);
  };

  // Scrolled up while messages arrive: say so, and take the reader down on a click.
  const unread = store.rooms.get(roomId)?.unread ?? 0;
  const newBelow = !store.atBottom && unread > 0;

  return (
    <div class="timeline" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-relevant="additions" tabIndex={0}>
      <p class="timeline-edge muted">{!tl.loaded || tl.loadingOlder ? t('chat.loadingOlder') : tl.hasOlder ? '' : t('chat.beginning')}</p>
      <ol class="messages">
        {timelineItems(tl).map((item) => {
          if (item.kind === 'pending') {
            const p = item.pending;
            return <PendingItem key={p.clientMsgId} pending={p} name={store.me?.displayName ?? ''} myId={myId} onRetry={() => store.retry(p)} onDiscard={() => store.discard(p)} />;
          }
          const message = item.message;
          return (
          <MessageItem
            key={message.seq}
            message={message}
            replyTarget={message.replyTo !== null ? (tl.bySeq.get(message.replyTo) ?? null) : null}
            mine={message.sender?.id === myId}
            canModerate={staff}
            pinned={tl.pins.has(message.seq)}
            hidden={tl.hidden.has(message.seq)}
            reactions={tl.reactions.get(message.seq) ?? []}
            members={tl.members}
            myUsername={myUsername}
            nameOf={nameOf}
            actions={actions}
          />
          );
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

interface Suggestion {
  username: string;
  label: string;
}

function Composer(props: { roomId: string; room: Room; role: string; members: Member[] | null; replyTo: Message | null; onCancelReply: () => void; uploads: Uploads }) {
  const store = useStore();
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [mention, setMention] = useState<{ query: string; start: number } | null>(null);
  const [choice, setChoice] = useState(0);
  const staff = props.role === 'owner' || props.role === 'admin';
  const myMember = props.members?.find((m) => m.user.id === store.me?.id);
  const mutedUntil = myMember?.mutedUntil && new Date(myMember.mutedUntil).getTime() > Date.now() ? myMember.mutedUntil : null;

  useEffect(() => {
    setText('');
    setMention(null);
  }, [props.roomId]);

  const suggestions: Suggestion[] = mention
    ? [
        ...(staff ? [{ username: 'all', label: t('chat.mentionAll') }] : []),
        ...(props.members ?? []).filter((m) => m.user.id !== store.me?.id).map((m) => ({ username: m.user.username, label: m.nickname ?? m.user.displayName })),
      ]
        .filter((s) => s.username.startsWith(mention.query.toLowerCase()) || s.label.toLowerCase().includes(mention.query.toLowerCase()))
        .slice(0, 8)
    : [];

  const updateMention = (value: string, caret: number) => {
    const before = value.slice(0, caret);
    const match = /(?:^|[^A-Za-z0-9_.%+-])@([A-Za-z0-9_]{0,32})$/.exec(before);
    if (match) {
      setMention({ query: match[1]!, start: caret - match[1]!.length - 1 });
      setChoice(0);
    } else setMention(null);
  };

  const pick = (s: Suggestion) => {
    if (!mention) return;
    const el = input.current!;
    const caret = el.selectionStart ?? text.length;
    const next = `${text.slice(0, mention.start)}@${s.username} ${text.slice(caret)}`;
    setText(next);
    setMention(null);
    const at = mention.start + s.username.length + 2;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(at, at);
    });
  };

  const uploads = props.uploads;
  // Text, attachments or both; not while a file is still on its way (it would be left behind).
  const canSend = !uploads.uploading && (text.trim() !== '' || uploads.ready > 0);
  const send = () => {
    const value = text.trim();
    if (!canSend) return;
    store.send(props.roomId, value, props.replyTo?.seq ?? null, uploads.take());
    setText('');
    setMention(null);
    props.onCancelReply();
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composing Chinese uses Enter to confirm a candidate: that must not send.
    if (event.isComposing || event.keyCode === 229) return;
    if (mention && suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setChoice((choice + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(suggestions[choice] ?? suggestions[0]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setMention(null);
        return;
      }
    }
    if (event.key === 'Escape' && props.replyTo) props.onCancelReply();
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  const notice = mutedUntil
    ? new Date(mutedUntil).getFullYear() >= 9999
      ? t('chat.mutedForever')
      : t('chat.muted', { until: formatDateTime(mutedUntil) })
    : props.room.muteAll && !staff
      ? t('chat.muteAllOn')
      : props.room.slowModeSeconds > 0 && !staff
        ? t('chat.slowMode', { seconds: props.room.slowModeSeconds })
        : null;

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {notice && <p class="composer-notice">{notice}</p>}
      {props.replyTo && (
        <div class="replying">
          <span>
            {t('chat.replyingTo', { name: props.replyTo.sender?.displayName ?? t('chat.system') })}: <span class="muted">{props.replyTo.text.slice(0, 80) || attachmentSummary(attachmentsOf(props.replyTo))}</span>
          </span>
          <button type="button" class="ghost small" onClick={props.onCancelReply} aria-label={t('chat.cancelReply')}>
            ✕
          </button>
        </div>
      )}
      {mention && suggestions.length > 0 && (
        <ul class="mention-list" role="listbox" id="mention-list" aria-label="@">
          {suggestions.map((s, i) => (
            <li
              key={s.username}
              role="option"
              id={`mention-${i}`}
              aria-selected={i === choice}
              class={i === choice ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
            >
              <strong>{s.label}</strong> <span class="muted">@{s.username}</span>
            </li>
          ))}
        </ul>
      )}
      <UploadTray uploads={uploads} />
      <div class="composer-row">
        <AttachButton uploads={uploads} disabled={Boolean(mutedUntil)} />
        <textarea
          id="composer-input"
          ref={input}
          rows={1}
          maxLength={4000}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          aria-autocomplete="list"
          aria-controls={mention ? 'mention-list' : undefined}
          aria-activedescendant={mention && suggestions.length > 0 ? `mention-${choice}` : undefined}
          value={text}
          disabled={Boolean(mutedUntil)}
          onInput={(e) => {
            const el = e.currentTarget;
            setText(el.value);
            updateMention(el.value, el.selectionStart ?? el.value.length);
            if (el.value) store.typing(props.roomId);
            else store.stopTyping();
          }}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            // A screenshot or a copied file: attach it; pasted text stays text.
            const files = e.clipboardData?.files;
            if (files && files.length > 0) {
              e.preventDefault();
              uploads.add(files);
            }
          }}
          onBlur={() => setTimeout(() => setMention(null), 150)}
        />
        <button type="submit" class="primary" disabled={!canSend} title={uploads.uploading ? t('media.waitUploads') : undefined}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
