/**
 * A message's action sheet: what a long press opens on a phone (and a right-click, Shift+F10 or
 * the menu key on a desktop) — the quick reactions and the picker, reply, copy, and the items of
 * the toolbar and the ⋯ menu that this message allows (edit, forward, pin, recall, report).
 * <MessageSheetHost /> shows it once beside the timeline; message.tsx wires the press through
 * useMessagePress().
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../../shared/schemas.ts';
import { t } from '../i18n/index.ts';
import { useStore } from './common.tsx';
import { useBackdropClose } from './dialog.tsx';
import { openEmojiPicker } from './emoji-picker.tsx';
import { openForwardDialog, openVersionsDialog } from './message-dialogs.tsx';
import { QUICK_REACTIONS } from '../state/emoji.ts';

/** How long a finger rests on a message before its sheet opens, and how far it may drift meanwhile. */
const LONG_PRESS_MS = 500;
const PRESS_SLOP_PX = 10;

interface Open {
  seq: number;
  /** Where a right-click was, for a desktop menu beside the pointer; null for the bottom sheet. */
  at: { x: number; y: number } | null;
}

let show: ((open: Open | null) => void) | null = null;

export function openMessageSheet(seq: number, at: Open['at'] = null): void {
  show?.({ seq, at });
}

const messageElement = (seq: number) => document.querySelector<HTMLElement>(`.messages li[data-seq="${seq}"]`);

/**
 * The handlers a message's <li> takes: a touch held still for LONG_PRESS_MS opens the sheet
 * (and the click its release would make is swallowed, so a held link or photo does not open
 * too); a right-click or the keyboard's menu key opens it where that was.
 */
export function useMessagePress(seq: number) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const opened = useRef(false);
  const cancel = (li?: HTMLElement) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    start.current = null;
    li?.classList.remove('pressing');
  };
  useEffect(() => () => cancel(), []);
  return {
    onPointerDown: (event: PointerEvent) => {
      // Any new press ends the last one's claim on its click (a mouse after a finger, too).
      opened.current = false;
      if (event.pointerType !== 'touch' || !event.isPrimary) return;
      const li = event.currentTarget as HTMLElement;
      start.current = { x: event.clientX, y: event.clientY };
      // No text selection or system callout while the finger rests (CSS on .pressing).
      li.classList.add('pressing');
      timer.current = setTimeout(() => {
        cancel(li);
        opened.current = true;
        getSelection()?.removeAllRanges();
        openMessageSheet(seq);
      }, LONG_PRESS_MS);
    },
    onPointerMove: (event: PointerEvent) => {
      const from = start.current;
      if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > PRESS_SLOP_PX) cancel(event.currentTarget as HTMLElement);
    },
    onPointerUp: (event: PointerEvent) => cancel(event.currentTarget as HTMLElement),
    onPointerCancel: (event: PointerEvent) => cancel(event.currentTarget as HTMLElement),
    onClickCapture: (event: MouseEvent) => {
      if (!opened.current) return;
      opened.current = false;
      event.preventDefault();
      event.stopPropagation();
    },
    onContextMenu: (event: MouseEvent) => {
      // A phone's long press (Android's own contextmenu) is the timer's; elsewhere, the browser's
      // menu stays for links, pictures and a selection someone wants to copy themselves.
      if (opened.current || timer.current) return event.preventDefault();
      const target = event.target as HTMLElement;
      if (target.closest('a[href], img, video, audio, textarea, input') || String(getSelection() ?? '') !== '') return;
      event.preventDefault();
      // The menu key on a focused message reports a point of its own choosing: the sheet goes by the message then.
      openMessageSheet(seq, event.button === 2 && (event.clientX > 0 || event.clientY > 0) ? { x: event.clientX, y: event.clientY } : null);
    },
    onKeyDown: (event: KeyboardEvent) => {
      if (event.target !== event.currentTarget) return;
      if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
        event.preventDefault();
        openMessageSheet(seq);
      }
    },
  };
}

/** What a message's menus can do to it: its row's buttons, the desktop menu and this sheet call the same. */
export interface MessageActions {
  reply(message: Message): void;
  react(message: Message, emoji: string): void;
  recall(message: Message): void;
  report(message: Message): void;
  pin(message: Message): void;
}

export function MessageSheetHost({ roomId, staff, actions }: { roomId: string; staff: boolean; actions: MessageActions }) {
  const [open, setOpen] = useState<Open | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    show = setOpen;
    return () => {
      show = null;
    };
  }, []);
  useEffect(() => setOpen(null), [roomId]);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      {open && <MessageSheet key={open.seq} open={open} roomId={roomId} staff={staff} actions={actions} onClose={() => setOpen(null)} onCopied={() => setCopied(true)} />}
      {copied && (
        <p class="sheet-toast" role="status">
          {t('sheet.copied')}
        </p>
      )}
    </>
  );
}

/** Puts text on the clipboard; the old way where the page may not use the Clipboard API. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const box = document.createElement('textarea');
    box.value = text;
    box.setAttribute('readonly', '');
    box.style.position = 'fixed';
    box.style.opacity = '0';
    document.body.append(box);
    box.select();
    document.execCommand('copy');
    box.remove();
  }
}

function MessageSheet({ open, roomId, staff, actions, onClose, onCopied }: { open: Open; roomId: string; staff: boolean; actions: MessageActions; onClose: () => void; onCopied: () => void }) {
  const store = useStore();
  const tl = store.timeline(roomId);
  const message: Message | undefined = tl.bySeq.get(open.seq);
  const sheet = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  const dismiss = () => {
    messageElement(open.seq)?.focus({ preventScroll: true });
    onClose();
  };
  const backdrop = useBackdropClose(dismiss);
  useLayoutEffect(() => {
    sheet.current?.querySelector<HTMLElement>('.sheet-item')?.focus({ preventScroll: true });
    const box = sheet.current?.getBoundingClientRect();
    if (open.at && box && window.innerWidth > 720) {
      setPlace({ left: Math.max(8, Math.min(open.at.x, window.innerWidth - box.width - 8)), top: Math.max(8, Math.min(open.at.y, window.innerHeight - box.height - 8)) });
    }
  }, []);
  // Recalled or removed while open: nothing left to act on.
  useEffect(() => {
    if (!message || message.recalledAt) onClose();
  });
  if (!message || message.recalledAt) return null;

  const mine = message.sender?.id === store.me?.id;
  const hidden = tl.hidden.has(message.seq);
  const pinned = tl.pins.has(message.seq);
  const reactions = tl.reactions.get(message.seq) ?? [];
  const canEdit = store.edits.canEdit(message);
  const canForward = message.kind === 'text' && !message.hiddenAt;
  /** Closes, gives the focus back to the message (unless the action takes it somewhere), then acts. */
  const choose = (action: () => void, refocus = true) => {
    if (refocus) dismiss();
    else onClose();
    action();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      dismiss();
      return;
    }
    const items = [...(sheet.current?.querySelectorAll<HTMLElement>('.sheet-item') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const inRow = (document.activeElement as HTMLElement | null)?.closest('.sheet-reactions') !== null;
    const step = { ArrowDown: 1, ArrowUp: -1, Tab: event.shiftKey ? -1 : 1, ...(inRow ? { ArrowRight: 1, ArrowLeft: -1 } : {}) }[event.key];
    if (step !== undefined && items.length > 0) {
      // Focus stays inside while it is open: the arrows and Tab go round its items.
      event.preventDefault();
      const next = at === -1 ? 0 : (at + step + items.length) % items.length;
      items[next]!.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  };

  const item = (label: string, action: () => void, options: { danger?: boolean; refocus?: boolean } = {}) => (
    <button type="button" role="menuitem" class={options.danger ? 'sheet-item ghost danger-text' : 'sheet-item ghost'} onClick={() => choose(action, options.refocus ?? true)}>
      {label}
    </button>
  );
  const preview = hidden ? t('chat.hidden') : message.text.slice(0, 80);
  return (
    <div class="sheet-backdrop" {...backdrop}>
      <div
        ref={sheet}
        class="message-sheet"
        role="menu"
        aria-label={t('chat.messageActions')}
        data-seq={message.seq}
        data-placed={place ? '' : undefined}
        style={place ? { left: `${place.left}px`, top: `${place.top}px` } : undefined}
        onKeyDown={onKeyDown}
      >
        {preview && <p class="sheet-preview muted">{preview}</p>}
        <div class="sheet-reactions" role="group" aria-label={t('chat.react')}>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              type="button"
              role="menuitem"
              key={emoji}
              class={reactions.some((r) => r.emoji === emoji && r.mine) ? 'sheet-item ghost sheet-reaction mine' : 'sheet-item ghost sheet-reaction'}
              onClick={() => choose(() => actions.react(message, emoji))}
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            class="sheet-item ghost sheet-reaction sheet-more-emoji"
            aria-label={t('emoji.more')}
            title={t('emoji.more')}
            onClick={() =>
              choose(() => openEmojiPicker({ onPick: (emoji) => actions.react(message, emoji), returnFocus: () => messageElement(message.seq) }), false)
            }
          >
            +
          </button>
        </div>
        <div class="sheet-items">
          {item(t('chat.reply'), () => actions.reply(message), { refocus: false })}
          {!hidden && message.text !== '' && item(t('sheet.copy'), () => void copyText(message.text).then(onCopied))}
          {canEdit && item(t('edit.action'), () => store.edits.start(message), { refocus: false })}
          {canForward && item(t('forward.action'), () => openForwardDialog(message))}
          {staff && item(pinned ? t('chat.unpin') : t('chat.pin'), () => actions.pin(message))}
          {staff && message.editedAt && item(t('edit.versions'), () => openVersionsDialog(message))}
          {(mine || staff) && item(t('chat.recall'), () => actions.recall(message), { danger: true })}
          {!mine && item(t('chat.report'), () => actions.report(message), { danger: true })}
        </div>
        <button type="button" class="sheet-item sheet-cancel" onClick={dismiss}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
