/**
 * A room I am not in: with preview on, its announcement and newest messages, read-only, and a
 * "Join" bar where the composer would be (look before joining); otherwise its card and the same
 * bar. Joining turns the page into the room itself, with no reload (the store takes the room in).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../../shared/schemas.ts';
import { formatDateTime, formatTime, memberCount, t } from '../i18n/index.ts';
import { attachmentsOf } from '../media/attachment-view.ts';
import { PREVIEW_REFRESH_MS, lookAt, type RoomLook } from '../state/preview.ts';
import type { View, WireError } from '../state/store.ts';
import { attachmentSummary } from './attachments.tsx';
import { Avatar, ErrorLine, toWireError, useStore } from './common.tsx';
import { askJoinQuestion } from './discover.tsx';
import { RichText } from './message.tsx';
import { EditedMark, ForwardedFrom } from './message-menu.tsx';

export function RoomPreview({ roomId, navigate }: { roomId: string; navigate: (view: View) => void }) {
  const store = useStore();
  const [look, setLook] = useState<RoomLook>({ kind: 'loading' });
  const [error, setError] = useState<WireError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    const ports = { preview: (id: string) => store.client.rest.previewRoom(id), room: (id: string) => store.client.getRoom(id), toWireError };
    const load = () => void lookAt(ports, roomId).then((next) => live && setLook((before) => (next.kind === 'error' && before.kind !== 'loading' ? before : next)));
    setLook({ kind: 'loading' });
    load();
    // A non-member gets no live messages: read the newest again now and then while looking.
    const timer = setInterval(() => document.visibilityState === 'visible' && load(), PREVIEW_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [roomId]);

  // Read like the room itself: from the newest message up.
  const list = useRef<HTMLDivElement>(null);
  const newest = look.kind === 'preview' ? (look.messages.at(-1)?.seq ?? 0) : 0;
  useLayoutEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [newest]);

  const room = look.kind === 'preview' || look.kind === 'card' ? look.room : null;
  const requested = store.requested.has(roomId);
  const join = async () => {
    if (!room || busy) return;
    setError(null);
    setBusy(true);
    try {
      const answer = await askJoinQuestion(room);
      if (answer === null) return;
      if ((await store.joinRoom(roomId, answer)) === 'requested') setNotice(t('rooms.requested'));
    } catch (e) {
      setError(toWireError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="chat preview room-preview" aria-label={room?.name ?? t('common.loading')}>
      <header class="chat-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <div class="chat-title">
          <h2>{room?.name ?? '…'}</h2>
          {room && <p class="muted">{memberCount(room.memberCount)}</p>}
        </div>
      </header>
      {look.kind === 'preview' && look.announcement && (
        <aside class="announcement read" aria-label={t('announcement.title')}>
          <span class="announcement-text">
            <strong>📢 {t('announcement.title')}</strong> <span>{look.announcement.text}</span>
          </span>
        </aside>
      )}
      {look.kind === 'preview' ? (
        <div ref={list} class="timeline preview-timeline" role="log" aria-label={t('preview.messages')} tabIndex={0}>
          <p class="timeline-edge muted">{t('preview.readOnly')}</p>
          {look.messages.length === 0 && <p class="muted preview-empty">{t('preview.empty')}</p>}
          <ol class="messages">
            {look.messages.map((message) => (
              <PreviewMessage key={message.seq} message={message} />
            ))}
          </ol>
        </div>
      ) : (
        <div class="preview-body">
          {room?.topic && <p>{room.topic}</p>}
          {look.kind === 'card' && <p class="muted small">{t('preview.off')}</p>}
          {look.kind === 'error' && <ErrorLine error={look.error} />}
          {look.kind === 'loading' && <p class="muted">{t('common.loading')}</p>}
        </div>
      )}
      {room && (
        <div class="join-bar" role="region" aria-label={t('preview.joinBar')}>
          <ErrorLine error={error} />
          {notice && <p class="notice">{notice}</p>}
          <p class="join-bar-text">{room.topic && look.kind === 'preview' ? room.topic : t('preview.joinPrompt', { name: room.name })}</p>
          {requested ? (
            <button type="button" disabled aria-disabled="true" class="requested">
              {t('rooms.requestPending')}
            </button>
          ) : (
            <button type="button" class="primary join-button" disabled={busy} onClick={() => void join()}>
              {t('rooms.join')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** One message of a preview: who, when, what; no reactions, no menu (a visitor can only read). */
function PreviewMessage({ message }: { message: Message }) {
  const name = message.sender?.deleted ? t('chat.deletedUser') : (message.sender?.displayName ?? t('chat.system'));
  const files = attachmentsOf(message);
  return (
    <li class="message" data-seq={message.seq}>
      <Avatar name={name} id={message.sender?.id ?? 'system'} />
      <div class="bubble-wrap">
        <div class="meta">
          <span class="sender">{name}</span>
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
          <EditedMark message={message} />
        </div>
        <ForwardedFrom message={message} />
        <div class="bubble">
          {message.text !== '' && <RichText text={message.text} members={null} myUsername={null} />}
          {files.length > 0 && <span class="muted small">{message.text !== '' ? ' · ' : ''}{attachmentSummary(files)}</span>}
        </div>
      </div>
    </li>
  );
}
