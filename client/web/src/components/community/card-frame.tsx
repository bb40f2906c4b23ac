/**
 * What every community card shares: its frame (a labelled box; the message list makes each message
 * one tab stop, so Enter on the message goes to the card and Tab stays inside the message), the
 * error line under a form field, and dates as the reader writes them.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { getLang, t } from '../../i18n/index.ts';
import type { FieldErrors } from '../../state/community-forms.ts';
import { toWireError, useAction, useStore } from '../common.tsx';

const CONTROLS = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], summary';

export function CardFrame({ kind, label, children }: { kind: string; label: string; children: ComponentChildren }) {
  const box = useRef<HTMLElement>(null);
  // The message around the card is the list's one tab stop: Enter on it goes to the card's first
  // control (not the sender's name), and Tab then cycles through the message's controls.
  useEffect(() => {
    const li = box.current?.closest<HTMLElement>('li');
    if (!li) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && event.target === li) {
        const first = box.current?.querySelector<HTMLElement>(CONTROLS);
        if (!first) return;
        event.preventDefault();
        event.stopPropagation();
        first.focus();
      } else if (event.key === 'Tab' && event.target !== li) {
        const items = [...li.querySelectorAll<HTMLElement>(CONTROLS)];
        const at = items.indexOf(document.activeElement as HTMLElement);
        if (at === -1) return;
        event.preventDefault();
        items[(at + (event.shiftKey ? items.length - 1 : 1)) % items.length]?.focus();
      }
    };
    li.addEventListener('keydown', onKeyDown);
    return () => li.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <section ref={box} class={`community-card card-${kind}`} data-kind={kind} aria-label={label}>
      {children}
    </section>
  );
}

export type { FieldErrors } from '../../state/community-forms.ts';

/**
 * A card's action (useAction), and taking part refused for want of accepting the room's rules
 * brings the rules up, as a refused message does.
 */
export function useCardAction(roomId: string) {
  const store = useStore();
  const action = useAction();
  const run = (work: () => Promise<void>) =>
    action.run(async () => {
      try {
        await work();
      } catch (error) {
        if (toWireError(error).code === 'RULES_NOT_ACCEPTED') store.community.showRules(roomId);
        throw error;
      }
    });
  return { ...action, run };
}

/** A field's error line, tied to the field by id for screen readers. */
export function FieldError({ id, errors, field }: { id: string; errors: FieldErrors; field: string }) {
  const text = errors[field];
  if (!text) return null;
  return (
    <span class="field-error" id={`${id}-${field.replace(/\./g, '-')}-error`} role="alert" data-field={field}>
      {text}
    </span>
  );
}

/** aria attributes of a field that may carry an error. */
export function fieldAria(id: string, errors: FieldErrors, field: string) {
  return errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field.replace(/\./g, '-')}-error` } : {};
}

export function GeneralError({ errors }: { errors: FieldErrors }) {
  if (!errors.general) return null;
  return (
    <p class="error-line" role="alert">
      {errors.general}
    </p>
  );
}

/** "Sat, Dec 5, 19:00 – 21:00" in the reader's language and time zone. */
export function formatWhen(startsAt: string, endsAt: string | null): string {
  const lang = getLang();
  const start = new Date(startsAt);
  const opts: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  const from = start.toLocaleString(lang, opts);
  if (!endsAt) return from;
  const end = new Date(endsAt);
  const sameDay = end.toDateString() === start.toDateString();
  const to = sameDay ? end.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) : end.toLocaleString(lang, opts);
  return t('community.when.range', { from, to });
}
