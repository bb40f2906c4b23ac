/**
 * Files on their way into a message: picked with the button, pasted or dropped. Each uploads at
 * once (one XMLHttpRequest each, with a progress bar and a cancel button); those that come back
 * ready go with the next send, a held one stays here with the reason, a failed one with the error.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText, getLang, t } from '../i18n/index.ts';
import { formatBytes, MAX_ATTACHMENTS, type AttachmentView } from '../media/attachment-view.ts';
import { capturePoster } from '../media/poster.ts';
import { UPLOAD_CANCELLED, uploadFile, type UploadHandle } from '../media/upload.ts';
import type { WireError } from '../state/store.ts';
import { AttachmentStatus } from './attachments.tsx';
import { useStore } from './common.tsx';

export interface Upload {
  key: number;
  name: string;
  size: number;
  /** A local preview of a picture (an object URL), until the upload is done. */
  preview: string | null;
  sent: number;
  status: 'uploading' | 'ready' | 'held' | 'failed';
  attachment: AttachmentView | null;
  error: WireError | null;
  handle: UploadHandle | null;
}

export interface Uploads {
  items: Upload[];
  /** Beyond MAX_ATTACHMENTS: said once, until the tray changes. */
  overflow: boolean;
  add(files: Iterable<File>): void;
  remove(key: number): void;
  /** The ready attachments, in the order added, taken out of the tray (they go with a send). */
  take(): AttachmentView[];
  uploading: boolean;
  ready: number;
}

let nextKey = 1;

export function useUploads(roomId: string): Uploads {
  const store = useStore();
  const [items, setItems] = useState<Upload[]>([]);
  const [overflow, setOverflow] = useState(false);
  const live = useRef(items);
  live.current = items;
  const update = (key: number, patch: Partial<Upload>) => setItems((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  // Another room: what was on its way is dropped (its uploads cancelled, nothing is kept).
  useEffect(
    () => () => {
      for (const u of live.current) {
        u.handle?.cancel();
        if (u.preview) URL.revokeObjectURL(u.preview);
      }
      setItems([]);
      setOverflow(false);
    },
    [roomId],
  );

  const add = (files: Iterable<File>) => {
    const room = MAX_ATTACHMENTS - live.current.filter((u) => u.status !== 'failed').length;
    const list = [...files];
    setOverflow(list.length > room);
    const accepted = list.slice(0, Math.max(0, room));
    const token = store.client.token;
    if (!token || accepted.length === 0) return;
    const fresh = accepted.map((file): Upload => {
      const key = nextKey++;
      const poster = file.type.startsWith('video/') ? capturePoster(file) : undefined;
      // The captured frame is the tray's preview too, once there is one.
      void poster?.then((blob) => blob && update(key, { preview: URL.createObjectURL(blob) }));
      const handle = uploadFile({ roomId, file, token, poster, onProgress: (sent) => update(key, { sent }) });
      handle.done.then(
        (attachment) => update(key, { status: attachment.status === 'ready' ? 'ready' : 'held', attachment, sent: file.size, handle: null }),
        (error: WireError) => {
          if (error.code === UPLOAD_CANCELLED) return;
          update(key, { status: 'failed', error, handle: null });
        },
      );
      const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
      return { key, name: file.name || 'file', size: file.size, preview, sent: 0, status: 'uploading', attachment: null, error: null, handle };
    });
    setItems((current) => [...current, ...fresh]);
  };

  const remove = (key: number) => {
    const u = live.current.find((x) => x.key === key);
    u?.handle?.cancel();
    if (u?.preview) URL.revokeObjectURL(u.preview);
    setItems((list) => list.filter((x) => x.key !== key));
    setOverflow(false);
  };

  const take = () => {
    const ready = live.current.filter((u) => u.status === 'ready' && u.attachment);
    for (const u of ready) if (u.preview) URL.revokeObjectURL(u.preview);
    setItems((list) => list.filter((u) => !ready.includes(u)));
    setOverflow(false);
    return ready.map((u) => u.attachment!);
  };

  return { items, overflow, add, remove, take, uploading: items.some((u) => u.status === 'uploading'), ready: items.filter((u) => u.status === 'ready').length };
}

/** The tray above the text box. */
export function UploadTray({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0 && !uploads.overflow) return null;
  return (
    <div class="upload-tray">
      {uploads.overflow && (
        <p class="composer-notice" role="alert">
          {t('media.tooMany', { max: MAX_ATTACHMENTS })}
        </p>
      )}
      <ul class="upload-list" aria-label={t('media.pending')}>
        {uploads.items.map((u) => (
          <li key={u.key} class={`upload status-${u.status}`} data-name={u.name}>
            {u.preview ? <img class="upload-preview" src={u.preview} alt="" /> : <span class="upload-preview file" aria-hidden="true"><PaperclipIcon /></span>}
            <span class="upload-text">
              <span class="upload-name">{u.name}</span>
              {u.status === 'uploading' && (
                <>
                  <progress max={u.size || 1} value={u.sent} aria-label={t('media.uploading', { percent: percentOf(u) })} />
                  <span class="muted small">{t('media.uploading', { percent: percentOf(u) })}</span>
                </>
              )}
              {u.status === 'ready' && <span class="muted small">{formatBytes(u.size, getLang())} · {t('media.uploaded')}</span>}
              {u.status === 'held' && u.attachment && <AttachmentStatus attachment={u.attachment} />}
              {u.status === 'failed' && u.error && (
                <span class="send-error small" role="alert" data-code={u.error.code} title={u.error.code}>
                  {errorText(u.error)}
                </span>
              )}
            </span>
            <button
              type="button"
              class="ghost small"
              onClick={() => uploads.remove(u.key)}
              aria-label={u.status === 'uploading' ? t('media.cancel', { name: u.name }) : t('media.remove', { name: u.name })}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const percentOf = (u: Upload) => (u.size > 0 ? Math.min(100, Math.floor((u.sent / u.size) * 100)) : 0);

/** The 📎 button with its hidden file input (any type; several at once). */
export function AttachButton({ uploads, disabled }: { uploads: Uploads; disabled: boolean }) {
  return (
    <PickFilesButton uploads={uploads} disabled={disabled} class="ghost attach-button" label={t('media.attach')} testId="attach-input">
      <PaperclipIcon />
    </PickFilesButton>
  );
}

/** A button that opens the system's file picker (several files at once) and adds what was picked to `uploads`. */
export function PickFilesButton(props: { uploads: Uploads; disabled: boolean; class: string; label: string; testId: string; accept?: string; children: ComponentChildren }) {
  const { uploads } = props;
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class={props.class} onClick={() => input.current?.click()} aria-label={props.label} title={props.label} disabled={props.disabled}>
        {props.children}
      </button>
      <input
        ref={input}
        type="file"
        accept={props.accept}
        multiple
        hidden
        data-testid={props.testId}
        onChange={(e) => {
          const el = e.currentTarget;
          if (el.files) uploads.add(el.files);
          el.value = '';
        }}
      />
    </>
  );
}

/** Drawn, not an emoji: it looks the same on every system, with or without an emoji font. */
function PaperclipIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M21 11.5 12.5 20a5.5 5.5 0 0 1-7.8-7.8l8.9-8.9a3.7 3.7 0 0 1 5.2 5.2l-8.9 8.9a1.8 1.8 0 0 1-2.6-2.6L15.5 6.6" />
    </svg>
  );
}
