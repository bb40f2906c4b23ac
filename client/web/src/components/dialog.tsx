/**
 * The app's own dialogs, in place of the browser's confirm() and prompt(): in the interface
 * language and the app's look, keyboard first (focus moves in and stays in, Enter confirms,
 * Escape cancels, focus goes back where it was). `askConfirm` and `askText` resolve to the
 * answer; <DialogHost /> (rendered once, by the app) shows them.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren, TargetedEvent } from 'preact';
import { t } from '../i18n/index.ts';

interface ConfirmRequest {
  kind: 'confirm';
  message: string;
  confirmLabel: string;
  danger: boolean;
  resolve: (ok: boolean) => void;
}

interface TextRequest {
  kind: 'text';
  title: string;
  question: string;
  submitLabel: string;
  maxLength: number;
  resolve: (answer: string | null) => void;
}

type Request = ConfirmRequest | TextRequest;

let show: ((request: Request) => void) | null = null;

/** Asks a yes/no question; resolves to true when confirmed. */
export function askConfirm(message: string, options: { confirmLabel?: string; danger?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    if (!show) return resolve(false);
    show({ kind: 'confirm', message, confirmLabel: options.confirmLabel ?? t('common.confirm'), danger: options.danger ?? false, resolve });
  });
}

/** Runs `action` once the user has confirmed `message`; nothing when cancelled. */
export function confirmFirst(message: string, options: { confirmLabel?: string; danger?: boolean }, action: () => unknown): void {
  void askConfirm(message, options).then((ok) => {
    if (ok) void action();
  });
}

/** Asks for a line of text; resolves to the trimmed answer, or null when cancelled. */
export function askText(title: string, question: string, options: { submitLabel?: string; maxLength?: number } = {}): Promise<string | null> {
  return new Promise((resolve) => {
    if (!show) return resolve(null);
    show({ kind: 'text', title, question, submitLabel: options.submitLabel ?? t('common.confirm'), maxLength: options.maxLength ?? 500, resolve });
  });
}

export function DialogHost() {
  const [request, setRequest] = useState<Request | null>(null);
  useEffect(() => {
    show = (next) =>
      setRequest((current) => {
        // One at a time: a second question replaces the first, which counts as cancelled.
        if (current) settle(current, null);
        return next;
      });
    return () => {
      show = null;
    };
  }, []);
  if (!request) return null;
  const close = (answer: string | true | null) => {
    settle(request, answer);
    setRequest(null);
  };
  return request.kind === 'confirm' ? <ConfirmDialog key={request.message} request={request} onClose={close} /> : <TextDialog request={request} onClose={close} />;
}

function settle(request: Request, answer: string | true | null): void {
  if (request.kind === 'confirm') request.resolve(answer !== null);
  else request.resolve(typeof answer === 'string' ? answer : null);
}

function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: (answer: true | null) => void }) {
  return (
    <DialogFrame labelledBy="confirm-dialog-text" onCancel={() => onClose(null)} onSubmit={() => onClose(true)}>
      <p id="confirm-dialog-text" class="dialog-message">
        {request.message}
      </p>
      <div class="dialog-actions">
        <button type="button" onClick={() => onClose(null)}>
          {t('common.cancel')}
        </button>
        <button type="submit" class={request.danger ? 'primary danger-fill' : 'primary'} data-autofocus>
          {request.confirmLabel}
        </button>
      </div>
    </DialogFrame>
  );
}

function TextDialog({ request, onClose }: { request: TextRequest; onClose: (answer: string | null) => void }) {
  const [value, setValue] = useState('');
  return (
    <DialogFrame labelledBy="text-dialog-title" onCancel={() => onClose(null)} onSubmit={() => value.trim() && onClose(value.trim())}>
      <h3 id="text-dialog-title">{request.title}</h3>
      <label>
        <span class="dialog-question">{request.question}</span>
        <input name="answer" maxLength={request.maxLength} value={value} onInput={(e) => setValue(e.currentTarget.value)} data-autofocus />
      </label>
      <div class="dialog-actions">
        <button type="button" onClick={() => onClose(null)}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={!value.trim()}>
          {request.submitLabel}
        </button>
      </div>
    </DialogFrame>
  );
}

/**
 * A popup's backdrop that closes it on a tap — one that began there: the finger that held a
 * message down is still on the screen when its sheet opens, and lifting it must not close it.
 */
export function useBackdropClose(close: () => void) {
  const downHere = useRef(false);
  return {
    onPointerDown: (event: PointerEvent) => {
      downHere.current = event.target === event.currentTarget;
    },
    onClick: (event: MouseEvent) => {
      if (downHere.current && event.target === event.currentTarget) close();
      downHere.current = false;
    },
  };
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * The modal frame every dialog uses: a backdrop (a click on it cancels), a form (Enter submits),
 * Escape cancels, Tab cycles inside, and focus returns to where it was on closing.
 */
export function DialogFrame({ labelledBy, onCancel, onSubmit, children }: { labelledBy: string; onCancel: () => void; onSubmit: () => void; children: ComponentChildren }) {
  const frame = useRef<HTMLDivElement>(null);
  // Before paint, so keys typed right after the click that opened it land inside.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = frame.current;
    (el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    return () => {
      if (before?.isConnected) before.focus({ preventScroll: true });
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Tab' && frame.current) {
      const items = [...frame.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items.at(-1);
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    }
  };
  const submit = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onCancel()}>
      <div ref={frame} class="dialog" role="dialog" aria-modal="true" aria-labelledby={labelledBy} onKeyDown={onKeyDown}>
        <form onSubmit={submit}>{children}</form>
      </div>
    </div>
  );
}
