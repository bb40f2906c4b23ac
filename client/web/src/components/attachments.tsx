/**
 * A message's attachments in the timeline, as WeChat lays them out: photos as thumbnails (one
 * large, or a grid of up to nine) with the ThumbHash placeholder drawn first and their shape
 * reserved; videos and sounds in the browser's own players (seeking uses Range requests); other
 * files as cards with a type icon, name, size and a download button. URLs are plain paths: the
 * media cookie lets the browser load them (docs/protocol.md, "How a browser shows an image").
 */
import { useState } from 'preact/hooks';
import { getLang, reasonText, t } from '../i18n/index.ts';
import {
  bytesUrl,
  exifLine,
  fileTypeOf,
  formatBytes,
  formatDuration,
  placeholderOf,
  shapeOf,
  thumbUrl,
  type AttachmentView,
} from '../media/attachment-view.ts';
import { useStore } from './common.tsx';
import { Lightbox } from './lightbox.tsx';

export function MessageAttachments({ attachments }: { attachments: AttachmentView[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (attachments.length === 0) return null;
  const pictures = attachments.filter((a) => a.kind === 'image');
  const others = attachments.filter((a) => a.kind !== 'image');
  return (
    <div class="attachments" aria-label={t('media.attachments')}>
      {pictures.length > 0 && (
        <div class={pictures.length === 1 ? 'photo-grid single' : `photo-grid count-${Math.min(pictures.length, 9)}`}>
          {pictures.map((a, i) => (
            <Thumbnail key={a.id} attachment={a} single={pictures.length === 1} onOpen={() => setOpen(i)} />
          ))}
        </div>
      )}
      {pictures.length === 1 && <ExifLine attachment={pictures[0]!} />}
      {others.map((a) => (a.kind === 'video' ? <VideoPlayer key={a.id} attachment={a} /> : a.kind === 'audio' ? <AudioPlayer key={a.id} attachment={a} /> : <FileCard key={a.id} attachment={a} />))}
      {open !== null && <Lightbox items={pictures} start={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** A held or blocked attachment, shown to its uploader with the reasons. */
export function AttachmentStatus({ attachment }: { attachment: AttachmentView }) {
  if (attachment.status === 'ready') return null;
  return (
    <p class={`attachment-status status-${attachment.status}`} role="status">
      {attachment.status === 'held' ? t('media.held') : t('media.blocked')}
      {(attachment.reasons ?? []).map((code) => (
        <span key={code} class="attachment-reason" data-code={code} title={code}>
          {' '}
          {reasonText({ code, message: code })}
        </span>
      ))}
    </p>
  );
}

export function Thumbnail({ attachment: a, single, onOpen }: { attachment: AttachmentView; single: boolean; onOpen: () => void }) {
  const store = useStore();
  const placeholder = placeholderOf(a);
  const shape = shapeOf(a);
  // One photo keeps its own shape (within bounds, in CSS); several are squares in a grid.
  const style: Record<string, string> = {};
  if (placeholder) style.backgroundImage = `url(${placeholder})`;
  if (single && shape) style.aspectRatio = `${shape.width} / ${shape.height}`;
  return (
    <button type="button" class="thumb" onClick={onOpen} aria-label={t('media.open', { name: a.name })} data-attachment-id={a.id}>
      {store.mediaReady ? (
        <img
          src={thumbUrl(a)}
          alt=""
          loading="lazy"
          decoding="async"
          width={shape?.width}
          height={shape?.height}
          style={style}
          onLoad={(e) => e.currentTarget.classList.add('loaded')}
        />
      ) : (
        <span class="thumb-placeholder" style={style} />
      )}
    </button>
  );
}

function ExifLine({ attachment }: { attachment: AttachmentView }) {
  const line = exifLine(attachment);
  return line ? <p class="exif-line">{line}</p> : null;
}

function VideoPlayer({ attachment: a }: { attachment: AttachmentView }) {
  const store = useStore();
  const shape = shapeOf(a);
  return (
    <figure class="video-attachment">
      {store.mediaReady && (
        <video
          src={bytesUrl(a)}
          controls
          preload="metadata"
          playsInline
          poster={a.thumb ? `${bytesUrl(a)}/thumb` : undefined}
          width={shape?.width}
          height={shape?.height}
          aria-label={a.name}
          style={shape ? { aspectRatio: `${shape.width} / ${shape.height}` } : undefined}
        />
      )}
      <figcaption class="muted small">
        {a.name}
        {a.durationSeconds !== undefined && ` · ${formatDuration(a.durationSeconds)}`} · {formatBytes(a.size, getLang())}
      </figcaption>
    </figure>
  );
}

function AudioPlayer({ attachment: a }: { attachment: AttachmentView }) {
  const store = useStore();
  return (
    <figure class="audio-attachment">
      {store.mediaReady && <audio src={bytesUrl(a)} controls preload="metadata" aria-label={a.name} />}
      <figcaption class="muted small">
        {a.name} · {formatBytes(a.size, getLang())}
      </figcaption>
    </figure>
  );
}

export function FileCard({ attachment: a, detail, download = true }: { attachment: AttachmentView; detail?: string; download?: boolean }) {
  const type = fileTypeOf(a);
  return (
    <div class="file-card" data-attachment-id={a.id}>
      <span class={`file-icon tone-${type.tone}`} aria-hidden="true">
        <svg viewBox="0 0 32 40" width="32" height="40">
          <path d="M3 1h18l8 8v28a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2z" fill="currentColor" opacity="0.16" />
          <path d="M3 1h18l8 8v28a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2z M21 1v8h8" fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
        <span class="file-ext">{type.label.slice(0, 4)}</span>
      </span>
      <span class="file-text">
        <span class="file-name">{a.name}</span>
        <span class="muted small">
          {formatBytes(a.size, getLang())}
          {detail ? ` · ${detail}` : ''}
        </span>
      </span>
      {download && (
        <a class="button small file-download" href={bytesUrl(a)} download={a.name} aria-label={t('media.downloadName', { name: a.name })}>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 20h14" />
          </svg>
          <span class="file-download-label">{t('media.download')}</span>
        </a>
      )}
    </div>
  );
}

/** "[Photo]", "[File] notes.pdf": what a quote, a pin or a preview says for a message without text. */
export function attachmentSummary(attachments: AttachmentView[]): string {
  const first = attachments[0];
  if (!first) return '';
  if (first.kind === 'file') return t('media.summary.file', { name: first.name });
  return t(`media.summary.${first.kind}`);
}
