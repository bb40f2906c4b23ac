/**
 * The room panel's 群相册 (album: photos and videos, a grid) and 群文件 (files: a list with a
 * search box), newest first, from GET /v1/rooms/:roomId/album and /files, paged with
 * `nextBefore`. Open sections follow the room: a new post with attachments, or a recall, reloads
 * the first page, so a recalled photo leaves the album at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomMediaPage } from '../../../sdk/index.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import { attachmentsOf, bytesUrl, placeholderOf, thumbUrl, formatDuration, type AttachmentView } from '../media/attachment-view.ts';
import type { WireError } from '../state/store.ts';
import { FileCard } from './attachments.tsx';
import { ErrorLine, Section, toWireError, useStore } from './common.tsx';
import { Lightbox } from './lightbox.tsx';

type Item = RoomMediaPage['items'][number] & { attachment: AttachmentView };

/** Changes when the room gains or loses attachments in the loaded timeline. */
function useMediaVersion(roomId: string): string {
  const store = useStore();
  const messages = store.timeline(roomId).messages;
  let version = '';
  for (let i = messages.length - 1, seen = 0; i >= 0 && seen < 30; i--) {
    const m = messages[i]!;
    const carries = ((m as { attachments?: unknown[] }).attachments?.length ?? 0) > 0;
    if (carries || m.recalledAt) {
      version += `${m.seq}${m.recalledAt ? 'r' : ''}${attachmentsOf(m).length},`;
      seen++;
    }
  }
  return version;
}

function usePages(load: (before: string | undefined) => Promise<RoomMediaPage>) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);
  const fetchPage = (before?: string) => {
    const mine = before === undefined ? ++generation.current : generation.current;
    setBusy(true);
    load(before).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((current) => (before === undefined ? page.items : [...(current ?? []), ...page.items]) as Item[]);
        setNext(page.nextBefore);
        setError(null);
      },
      (e: unknown) => mine === generation.current && setError(toWireError(e)),
    ).finally(() => mine === generation.current && setBusy(false));
  };
  return { items, next, error, busy, reload: () => fetchPage(), more: () => next && fetchPage(next) };
}

export function AlbumSection({ roomId }: { roomId: string }) {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const pages = usePages((before) => store.client.rest.album(roomId, { limit: 60, ...(before ? { before } : {}) }));
  const version = useMediaVersion(roomId);
  useEffect(() => {
    if (open) pages.reload();
  }, [open, version, roomId]);
  const media = (pages.items ?? []).map((item) => item.attachment);
  return (
    <Section title={t('album.title')} onOpen={() => setOpen(true)}>
      <ErrorLine error={pages.error} />
      {pages.items?.length === 0 && <p class="muted">{t('album.empty')}</p>}
      <ul class="album-grid" aria-label={t('album.title')}>
        {(pages.items ?? []).map((item, i) => (
          <li key={item.attachment.id}>
            <button
              type="button"
              class="album-tile"
              data-attachment-id={item.attachment.id}
              aria-label={`${t('media.open', { name: item.attachment.name })} · ${item.message.sender?.displayName ?? ''} · ${formatDateTime(item.message.createdAt)}`}
              onClick={() => setViewing(i)}
              style={placeholderOf(item.attachment) ? { backgroundImage: `url(${placeholderOf(item.attachment)})` } : undefined}
            >
              {store.mediaReady && (item.attachment.kind === 'image' || item.attachment.thumb) && <img src={thumbUrl(item.attachment)} alt="" loading="lazy" decoding="async" />}
              {/* A video without a poster: its first frame, from the few bytes preload="metadata" reads. */}
              {store.mediaReady && item.attachment.kind === 'video' && !item.attachment.thumb && (
                <video src={bytesUrl(item.attachment)} preload="metadata" muted playsInline tabIndex={-1} aria-hidden="true" />
              )}
              {item.attachment.kind === 'video' && (
                <span class="album-video-badge" aria-hidden="true">
                  ▶{item.attachment.durationSeconds !== undefined ? ` ${formatDuration(item.attachment.durationSeconds)}` : ''}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {pages.next && (
        <button type="button" class="small" disabled={pages.busy} onClick={pages.more}>
          {t('album.more')}
        </button>
      )}
      {viewing !== null && <Lightbox items={media} start={viewing} onClose={() => setViewing(null)} />}
    </Section>
  );
}

export function FilesSection({ roomId }: { roomId: string }) {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const pages = usePages((before) => store.client.rest.files(roomId, { limit: 50, ...(before ? { before } : {}), ...(q ? { q } : {}) }));
  const version = useMediaVersion(roomId);
  // Typing settles before the search goes out.
  useEffect(() => {
    const timer = setTimeout(() => setQ(query.trim().slice(0, 100)), 250);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    if (open) pages.reload();
  }, [open, version, roomId, q]);
  return (
    <Section title={t('files.title')} onOpen={() => setOpen(true)}>
      <input type="search" value={query} placeholder={t('files.search')} aria-label={t('files.search')} maxLength={100} onInput={(e) => setQuery(e.currentTarget.value)} />
      <ErrorLine error={pages.error} />
      {pages.items?.length === 0 && <p class="muted">{q ? t('files.noMatch', { q }) : t('files.empty')}</p>}
      <ul class="plain-list file-list" aria-label={t('files.title')}>
        {(pages.items ?? []).map((item) => (
          <li key={item.attachment.id}>
            <FileCard attachment={item.attachment} detail={t('files.by', { name: item.message.sender?.displayName ?? t('chat.system'), time: formatDateTime(item.message.createdAt) })} />
          </li>
        ))}
      </ul>
      {pages.next && (
        <button type="button" class="small" disabled={pages.busy} onClick={pages.more}>
          {t('album.more')}
        </button>
      )}
    </Section>
  );
}
