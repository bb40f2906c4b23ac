/**
 * The photo viewer: one picture (or video) at a time over the page, full size from /display when
 * the server made a web rendition, with the camera line kept from its EXIF. Esc closes, ← and →
 * move, focus stays inside and goes back to the thumbnail that opened it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import { t } from '../i18n/index.ts';
import { bytesUrl, displayUrl, exifLine, placeholderOf, type AttachmentView } from '../media/attachment-view.ts';

export function Lightbox({ items, start, onClose }: { items: AttachmentView[]; start: number; onClose: () => void }) {
  const [index, setIndex] = useState(Math.min(Math.max(0, start), items.length - 1));
  const dialog = useRef<HTMLDivElement>(null);
  const item = items[index];

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => opener?.focus?.();
  }, []);

  if (!item) return null;
  const move = (step: number) => setIndex((index + step + items.length) % items.length);
  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === 'ArrowRight' && items.length > 1 && !(event.target instanceof HTMLVideoElement)) {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowLeft' && items.length > 1 && !(event.target instanceof HTMLVideoElement)) {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Tab') {
      // Keep focus inside the viewer while it is open.
      const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button, a[href], video') ?? [])];
      if (focusable.length === 0) return;
      const first = focusable[0]!;
      const last = focusable.at(-1)!;
      if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  const line = exifLine(item);
  const placeholder = placeholderOf(item);
  const size = item.display ?? (item.width && item.height ? { width: item.width, height: item.height } : null);

  return (
    <div class="lightbox" role="dialog" aria-modal="true" aria-label={t('lightbox.label')} tabIndex={-1} ref={dialog} onKeyDown={onKeyDown} onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="lightbox-bar">
        <span class="lightbox-position" aria-live="polite">
          {items.length > 1 ? t('lightbox.position', { index: index + 1, count: items.length }) : ''}
        </span>
        <a class="button ghost small" href={bytesUrl(item)} target="_blank" rel="noopener">
          {t('lightbox.original')}
        </a>
        <button type="button" class="ghost lightbox-close" onClick={onClose} aria-label={t('lightbox.close')}>
          ✕
        </button>
      </div>
      <figure class="lightbox-figure" key={item.id}>
        {item.kind === 'video' ? (
          <video class="lightbox-media" src={bytesUrl(item)} controls preload="metadata" autoPlay width={item.width} height={item.height} />
        ) : (
          <img
            class="lightbox-media"
            src={displayUrl(item)}
            alt={item.name}
            width={size?.width}
            height={size?.height}
            style={placeholder ? { backgroundImage: `url(${placeholder})` } : undefined}
            onLoad={(e) => (e.currentTarget.style.backgroundImage = '')}
          />
        )}
        <figcaption>
          <span class="lightbox-name">{item.name}</span>
          {line && <span class="exif-line">{line}</span>}
        </figcaption>
      </figure>
      {items.length > 1 && (
        <>
          <button type="button" class="lightbox-nav prev" onClick={() => move(-1)} aria-label={t('lightbox.prev')}>
            ‹
          </button>
          <button type="button" class="lightbox-nav next" onClick={() => move(1)} aria-label={t('lightbox.next')}>
            ›
          </button>
        </>
      )}
    </div>
  );
}
