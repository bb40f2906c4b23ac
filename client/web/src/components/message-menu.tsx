/**
 * The message menu's everyday items (edit, forward, earlier versions) and what they leave on a
 * message: the "edited" mark, the "forwarded from" line, the in-place editor. message.tsx only
 * places these; what they do is here and in state/message-edits.ts and state/forward.ts.
 */
import type { ComponentChildren, TargetedKeyboardEvent } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../../shared/schemas.ts';
import { errorText, formatDateTime, reasonText, t } from '../i18n/index.ts';
import type { SafetyReason } from '../state/store.ts';
import { useStore } from './common.tsx';
import { openForwardDialog, openVersionsDialog } from './message-dialogs.tsx';

/** "edited", with when, after the time of an edited message. */
export function EditedMark({ message }: { message: Message }) {
  if (!message.editedAt || message.recalledAt) return null;
  return (
    <span class="edited-mark" title={formatDateTime(message.editedAt)}>
      {t('edit.edited')}
    </span>
  );
}

/** "Forwarded from Mei · Film photography" above a forwarded message (a DM's origin by the person alone). */
export function ForwardedFrom({ message }: { message: Message }) {
  const origin = message.forwardedFrom;
  if (!origin) return null;
  const who = origin.sender?.displayName ?? t('chat.system');
  return (
    <p class="forwarded-from" data-origin-room={origin.roomId}>
      <span aria-hidden="true">↪ </span>
      {origin.roomName ? t('forward.fromIn', { name: who, room: origin.roomName }) : t('forward.from', { name: who })}
    </p>
  );
}

/** The message's text, or the editor in its place while I edit it. */
export function EditableText({ message, children }: { message: Message; children: ComponentChildren }) {
  const store = useStore();
  if (!store.edits.isEditing(message.roomId, message.seq)) return <>{children}</>;
  return <MessageEditor message={message} />;
}

function MessageEditor({ message }: { message: Message }) {
  const store = useStore();
  const editing = store.edits.editing;
  const box = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(message.text);
  // Started from the message box (↑): back there when done, else back to the message.
  const fromComposer = useRef(false);
  useLayoutEffect(() => {
    fromComposer.current = document.activeElement?.id === 'composer-input';
    const el = box.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const backToMessage = () =>
    requestAnimationFrame(() => (fromComposer.current ? document.getElementById('composer-input') : document.querySelector<HTMLElement>(`.messages li[data-seq="${message.seq}"]`))?.focus());
  const cancel = () => {
    store.edits.cancel();
    backToMessage();
  };
  const save = async () => {
    if (text.trim() === '' && message.attachments.length === 0) return;
    if (await store.edits.save(text.trim())) backToMessage();
  };
  const onKeyDown = (event: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composing Chinese confirms a candidate with Enter: that must not save.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      cancel();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };
  const error = editing?.error ?? null;
  const reasons = (error?.details?.reasons as SafetyReason[] | undefined) ?? [];
  return (
    <div class="message-editor">
      <textarea
        ref={box}
        class="message-editor-input"
        aria-label={t('edit.label')}
        maxLength={4000}
        rows={2}
        value={text}
        disabled={editing?.busy}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <div class="edit-error" role="alert" data-code={error.code}>
          <span>{errorText(error)}</span>
          {reasons.length > 0 && (
            <ul class="reasons">
              {reasons.map((r) => (
                <li key={r.code} data-code={r.code} title={r.code}>
                  {reasonText(r)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="message-editor-actions">
        <span class="muted small">{t('edit.hint')}</span>
        <button type="button" class="small" onClick={cancel}>
          {t('common.cancel')}
        </button>
        <button type="button" class="small primary" disabled={editing?.busy || (text.trim() === '' && message.attachments.length === 0)} onClick={() => void save()}>
          {t('edit.save')}
        </button>
      </div>
    </div>
  );
}

/** "⋯": edit (mine, within the window), forward, and for the staff the earlier versions of an edited message. */
export function MessageMenu({ message, canModerate }: { message: Message; canModerate: boolean }) {
  const store = useStore();
  const menu = useRef<HTMLDetailsElement>(null);
  const canEdit = store.edits.canEdit(message);
  const canForward = message.kind === 'text' && !message.recalledAt && !message.hiddenAt;
  const canSeeVersions = canModerate && Boolean(message.editedAt);
  if (!canEdit && !canForward && !canSeeVersions) return null;
  const choose = (action: () => void) => {
    if (menu.current) menu.current.open = false;
    action();
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('.message-more-items button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape' && menu.current?.open) {
      event.preventDefault();
      event.stopPropagation();
      menu.current.open = false;
      menu.current.querySelector('summary')?.focus();
    } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && items.length > 0) {
      event.preventDefault();
      event.stopPropagation();
      if (menu.current && !menu.current.open) menu.current.open = true;
      const next = at === -1 ? (event.key === 'ArrowDown' ? 0 : items.length - 1) : (at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      requestAnimationFrame(() => items[next]?.focus());
    }
  };
  return (
    <details class="message-more" ref={menu} onKeyDown={onMenuKey}>
      <summary class="ghost small" aria-label={t('menu.more')} title={t('menu.more')}>
        ⋯
      </summary>
      <div class="message-more-items" role="menu">
        {canEdit && (
          <button type="button" role="menuitem" class="ghost" onClick={() => choose(() => store.edits.start(message))}>
            {t('edit.action')}
          </button>
        )}
        {canForward && (
          <button type="button" role="menuitem" class="ghost" onClick={() => choose(() => openForwardDialog(message))}>
            {t('forward.action')}
          </button>
        )}
        {canSeeVersions && (
          <button type="button" role="menuitem" class="ghost" onClick={() => choose(() => openVersionsDialog(message))}>
            {t('edit.versions')}
          </button>
        )}
      </div>
    </details>
  );
}
