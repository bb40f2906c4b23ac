/**
 * A 接龙 sign-up list in the timeline: the numbered lines (dense 1..n, as the server keeps them),
 * "add me" with an optional line of text, my own line to edit or take out, and the closed and
 * full states; its author and the staff close it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Signup } from '../../../../../shared/community.ts';
import { formatDateTime, reasonText, t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { ErrorLine, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { CardFrame, useCardAction } from './card-frame.tsx';

/** Lines shown before "show all": a long list stays a card, not a page. */
const SHOWN = 10;

export function SignupCard({ signup, staff }: { signup: Signup; staff: boolean }) {
  const store = useStore();
  const community = store.community;
  const myId = store.me?.id ?? '';
  const { busy, error, run } = useCardAction(signup.roomId);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const mine = signup.entries.find((e) => e.user.id === myId);
  const held = mine ? undefined : community.heldLines.get(signup.id);
  const full = signup.capacity !== null && signup.entries.length >= signup.capacity;
  const canClose = !signup.closed && (staff || signup.createdBy.id === myId);
  const shown = all ? signup.entries : signup.entries.slice(0, SHOWN);
  useEffect(() => {
    if (staff) community.ensureHeld(signup.id);
  }, [signup.id, staff]);
  const waiting = staff ? (community.heldFor.get(signup.id) ?? []) : [];

  const add = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await community.addEntry(signup.id, text.trim());
    }).then((ok) => ok && setText(''));
  };
  const save = (event: Event) => {
    event.preventDefault();
    if (editing === null) return;
    void run(() => community.editEntry(signup.id, editing.trim())).then((ok) => ok && setEditing(null));
  };

  return (
    <CardFrame kind="signup" label={`${t('community.signup.kind')}: ${signup.title}`}>
      <header class="card-head">
        <span class="card-kind">📝 {t('community.signup.kind')}</span>
        {signup.closed ? <span class="tag card-state">{t('community.signup.closed')}</span> : full ? <span class="tag card-state">{t('community.signup.full')}</span> : null}
      </header>
      <h4 class="card-title">{signup.title}</h4>
      <p class="muted small signup-count">
        {signup.capacity !== null ? t('community.signup.countOf', { count: signup.entries.length, capacity: signup.capacity }) : t('community.signup.count', { count: signup.entries.length })}
        {signup.closesAt && !signup.closed && ` · ${t('community.signup.closesAt', { time: formatDateTime(signup.closesAt) })}`}
      </p>
      {signup.template && <p class="muted small signup-template">{t('community.signup.template', { template: signup.template })}</p>}
      {signup.entries.length > 0 && (
        <ol class="signup-entries">
          {shown.map((entry) => (
            <li key={entry.user.id} class={entry.user.id === myId ? 'signup-entry mine' : 'signup-entry'} data-position={entry.position}>
              <span class="signup-position">{entry.position}.</span> <span class="signup-name">{entry.user.displayName}</span>
              {entry.text && <span class="signup-text"> {entry.text}</span>}
            </li>
          ))}
        </ol>
      )}
      {signup.entries.length > SHOWN && (
        <button type="button" class="link small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('community.signup.showFewer') : t('community.signup.showAll', { count: signup.entries.length })}
        </button>
      )}
      {held !== undefined && (
        <p class="signup-held" role="status">
          ⏳ {t('community.signup.held')}
          {held && <span class="muted"> “{held}”</span>}{' '}
          <button type="button" class="link small" disabled={busy} onClick={() => void run(() => community.removeEntry(signup.id))}>
            {t('community.signup.takeBack')}
          </button>
        </p>
      )}
      {!signup.closed && !mine && held === undefined && !full && (
        <form class="card-inline-form signup-add" onSubmit={add}>
          <input
            class="signup-text-input"
            maxLength={LIMITS.entry}
            value={text}
            placeholder={signup.template ?? t('community.signup.textPlaceholder')}
            aria-label={t('community.signup.textLabel')}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="primary small" disabled={busy}>
            {t('community.signup.addMe')}
          </button>
        </form>
      )}
      {!signup.closed && mine && editing === null && (
        <div class="card-actions">
          <button type="button" class="small signup-edit" onClick={() => setEditing(mine.text)}>
            {t('community.signup.editMine')}
          </button>
          <button
            type="button"
            class="small signup-remove"
            disabled={busy}
            onClick={() => confirmFirst(t('community.signup.removeConfirm'), { confirmLabel: t('community.signup.removeMine') }, () => run(() => community.removeEntry(signup.id)))}
          >
            {t('community.signup.removeMine')}
          </button>
        </div>
      )}
      {editing !== null && (
        <form class="card-inline-form signup-editing" onSubmit={save}>
          <input maxLength={LIMITS.entry} value={editing} aria-label={t('community.signup.textLabel')} onInput={(e) => setEditing(e.currentTarget.value)} />
          <button type="submit" class="primary small" disabled={busy}>
            {t('community.save')}
          </button>
          <button type="button" class="small" onClick={() => setEditing(null)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {waiting.length > 0 && (
        <details class="signup-review">
          <summary>⏳ {t('community.signup.waiting', { count: waiting.length })}</summary>
          <ul>
            {waiting.map((h) => (
              <li key={h.user.id} class="signup-held-line">
                <span>
                  <strong>{h.user.displayName}</strong> {h.text}
                </span>
                <span class="muted small"> {h.reasons.map((r) => reasonText(r)).join(' ')}</span>
                <span class="card-actions">
                  <button type="button" class="small primary" disabled={busy} onClick={() => void run(() => community.decideHeld(signup.id, h.user.id, 'approve'))}>
                    {t('community.signup.approve')}
                  </button>
                  <button type="button" class="small" disabled={busy} onClick={() => void run(() => community.decideHeld(signup.id, h.user.id, 'reject'))}>
                    {t('community.signup.reject')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {canClose && (
        <div class="card-actions">
          <button type="button" class="ghost small signup-close" disabled={busy} onClick={() => confirmFirst(t('community.signup.closeConfirm'), { confirmLabel: t('community.signup.close') }, () => run(() => community.closeSignup(signup.id)))}>
            {t('community.signup.close')}
          </button>
        </div>
      )}
      <ErrorLine error={error} />
    </CardFrame>
  );
}
