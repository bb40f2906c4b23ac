/** The open room: header, announcement, pins, the message list (message-list.tsx), typing, composer. */
import { useEffect, useState } from 'preact/hooks';
import type { Message, SearchResult } from '../../../../shared/schemas.ts';
import { memberCount, t } from '../i18n/index.ts';
import type { View, WireError } from '../state/store.ts';
import type { Timeline } from '../state/timeline.ts';
import { Badge, ErrorLine, toWireError, useStore } from './common.tsx';
import type { MessageActions } from './message.tsx';
import { MessageList, jumpTo } from './message-list.tsx';
import { ReportDialog } from './report.tsx';
import { confirmFirst } from './dialog.tsx';
import { useUploads } from './composer-uploads.tsx';
import { Composer } from './composer.tsx';
import { attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';
import { RoomPreview } from './room-preview.tsx';
import { SearchButton, SearchPanel, showMessage } from './search-panel.tsx';
import { MessageDialogHost } from './message-dialogs.tsx';
import { MessageSheetHost } from './message-sheet.tsx';
import { EmojiPickerHost } from './emoji-picker.tsx';
import { CommunityDialogHost, RulesBar } from './community/dialogs.tsx';
import { roomTitle } from './dm-list.tsx';
import { openProfileCard } from './profile-card.tsx';

export function ChatView({ roomId, navigate, onOpenPanel }: { roomId: string; navigate: (view: View) => void; onOpenPanel: () => void }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [reporting, setReporting] = useState<Message | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [dropping, setDropping] = useState(false);
  const [searching, setSearching] = useState(false);
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
  const queue = staff ? store.staff.counts.get(roomId) : undefined;
  const waiting = queue ? queue.joinRequests + queue.review + queue.proposals : 0;

  const openResult = (result: SearchResult) => {
    setSearching(false);
    void showMessage(store, navigate, result.message.roomId, result.message.seq).then((found) => found || setError({ code: 'SEARCH_NOT_LOADED', message: t('search.notLoaded') }));
  };
  const run = (work: Promise<unknown>) => {
    setError(null);
    work.catch((e: unknown) => setError(toWireError(e)));
  };
  const actions: MessageActions = {
    reply: (message) => {
      setReplyTo(message);
      document.getElementById('composer-input')?.focus();
    },
    react: (message, emoji) => run(store.details.react(roomId, message.seq, emoji)),
    recall: (message) => {
      confirmFirst(t('chat.recallConfirm'), { confirmLabel: t('chat.recall') }, () => run(store.details.recall(roomId, message.seq)));
    },
    report: (message) => setReporting(message),
    pin: (message) => run(store.details.togglePin(roomId, message.seq)),
  };

  return (
    <section
      class={dropping ? 'chat dropping' : 'chat'}
      aria-label={roomTitle(store, entry)}
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
          {entry.room.kind === 'dm' ? (
            <DmHeading roomId={roomId} tl={tl} />
          ) : (
            <>
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
            </>
          )}
        </div>
        <SearchButton open={searching} onClick={() => setSearching(!searching)} />
        <button type="button" class="ghost panel-button" onClick={onOpenPanel} aria-label={entry.room.kind === 'dm' ? t('dm.info') : t('panel.open')}>
          ⋯
          {waiting > 0 && (
            <span class="staff-badge" title={t('staff.pending', { count: waiting })}>
              <Badge count={waiting} label={t('staff.pending', { count: waiting })} />
            </span>
          )}
        </button>
      </header>
      {searching && <SearchPanel roomId={roomId} onPick={openResult} onClose={() => setSearching(false)} />}
      <AnnouncementBar roomId={roomId} tl={tl} />
      <PinsBar roomId={roomId} tl={tl} staff={staff} onError={setError} />
      <ErrorLine error={error} />
      <MessageList roomId={roomId} tl={tl} staff={staff} actions={actions} />
      <TypingLine tl={tl} />
      <RulesBar roomId={roomId} />
      <Composer roomId={roomId} room={entry.room} role={entry.role} members={tl.members} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} uploads={uploads} />
      {reporting && <ReportDialog roomId={roomId} message={reporting} onClose={() => setReporting(null)} />}
      <MessageDialogHost onOpenRoom={(id) => navigate({ kind: 'room', roomId: id })} />
      <MessageSheetHost roomId={roomId} staff={staff} actions={actions} />
      <EmojiPickerHost />
      <CommunityDialogHost roomId={roomId} />
    </section>
  );
}

/** A DM room's heading: the other person's name (opening their card), 私信, and whether they are online (only when they show it). */
function DmHeading({ roomId, tl }: { roomId: string; tl: Timeline }) {
  const store = useStore();
  const peer = store.dms.peerOf(roomId);
  const title = roomTitle(store, store.rooms.get(roomId)!);
  const online = !!peer && !!tl.presence?.online.some((u) => u.id === peer.id);
  return (
    <>
      <h2>
        {peer ? (
          <button type="button" class="link chat-title-person" onClick={() => openProfileCard(peer.id)}>
            {title}
          </button>
        ) : (
          title
        )}
      </h2>
      <p class="muted">
        {t('dm.title')}
        {peer && <span>{` · @${peer.username}`}</span>}
        {online && (
          <span class="online-count">
            {' · '}
            <span class="dot" aria-hidden="true" />
            {t('people.online')}
          </span>
        )}
      </p>
    </>
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
        <button type="button" class="primary small" onClick={() => void store.details.markAnnouncementRead(roomId).catch(() => {})}>
          {t('announcement.read')}
        </button>
      )}
    </aside>
  );
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
                <button type="button" class="ghost small" aria-label={`${t('chat.unpin')} #${pin.seq}`} onClick={() => store.details.togglePin(roomId, pin.seq).catch((e: unknown) => onError(toWireError(e)))}>
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
