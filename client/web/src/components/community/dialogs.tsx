/**
 * The community dialogs, shown by one host outside the message list and the composer (a dialog
 * inside a message would lose its buttons to the list's one-tab-stop rule; one inside the
 * composer would be a form inside a form): the meeting-safety checklist, the leaderboard, the
 * forms that create an item, and the room's must-read rules. Built on components/dialog.tsx.
 */
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n/index.ts';
import { splitChecklist } from '../../state/community.ts';
import { DialogFrame } from '../dialog.tsx';
import { ErrorLine, useAction, useStore } from '../common.tsx';

type Render = (close: () => void) => VNode;

let open: ((render: Render | null) => void) | null = null;

/** Shows a dialog drawn by `render`; it closes itself with the `close` it is given. */
export function openCommunityDialog(render: Render): void {
  open?.(render);
}

export function CommunityDialogHost({ roomId }: { roomId: string }) {
  const store = useStore();
  const [render, setRender] = useState<Render | null>(null);
  useEffect(() => {
    open = (next) => setRender(() => next);
    return () => {
      open = null;
    };
  }, []);
  useEffect(() => setRender(null), [roomId]);
  const close = () => setRender(null);
  const rulesUp = store.community.rulesPrompt === roomId;
  return (
    <>
      {render?.(close)}
      {rulesUp && !render && <RulesDialog roomId={roomId} />}
    </>
  );
}

/** Asks the member to read the room's meeting-safety checklist; resolves to true once they have. */
export function askChecklist(lines: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    if (!open) return resolve(false);
    openCommunityDialog((close) => (
      <ChecklistDialog
        lines={lines}
        onDone={(ok) => {
          close();
          resolve(ok);
        }}
      />
    ));
  });
}

function ChecklistDialog({ lines, onDone }: { lines: string[]; onDone: (ok: boolean) => void }) {
  return (
    <DialogFrame labelledBy="checklist-title" onCancel={() => onDone(false)} onSubmit={() => onDone(true)}>
      <div class="checklist-dialog">
        <h3 id="checklist-title">🛡️ {t('community.checklist.title')}</h3>
        <p class="muted">{t('community.checklist.intro')}</p>
        <ul class="checklist">
          {splitChecklist(lines).standard.map((i) => (
            <li key={`s${i}`}>{t(`community.checklist.standard${i + 1}` as MessageKey)}</li>
          ))}
          {splitChecklist(lines).own.map((line, i) => (
            <li key={`o${i}`}>{line}</li>
          ))}
        </ul>
        <div class="dialog-actions">
          <button type="button" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" data-autofocus>
            {t('community.checklist.ok')}
          </button>
        </div>
      </div>
    </DialogFrame>
  );
}

/** A form dialog's frame: title, the fields, the error the server gave, cancel and submit. */
export function FormDialog(props: { id: string; title: string; submitLabel: string; busy: boolean; error: ComponentChildren; onCancel: () => void; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <DialogFrame labelledBy={`${props.id}-title`} onCancel={props.onCancel} onSubmit={props.onSubmit}>
      <div class={`community-form ${props.id}`}>
        <h3 id={`${props.id}-title`}>{props.title}</h3>
        {props.children}
        {props.error}
        <div class="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={props.busy}>
            {props.submitLabel}
          </button>
        </div>
      </div>
    </DialogFrame>
  );
}

/** The room's must-read rules: accept (when asked to) or close. */
function RulesDialog({ roomId }: { roomId: string }) {
  const store = useStore();
  const { busy, error, run } = useAction();
  const current = store.community.rules.get(roomId);
  const rules = current?.rules ?? null;
  const close = () => store.community.closeRules();
  const mustAccept = current?.mustAccept ?? false;
  const submit = () => {
    if (!mustAccept) return close();
    void run(() => store.community.acceptRules(roomId));
  };
  return (
    <DialogFrame labelledBy="rules-title" onCancel={close} onSubmit={submit}>
      <div class="rules-dialog">
        <h3 id="rules-title">📜 {t('community.rules.title')}</h3>
        {mustAccept && <p class="muted">{t('community.rules.mustAccept')}</p>}
        {rules ? <div class="rules-text">{rules.text}</div> : <p class="muted">{t('common.loading')}</p>}
        {/* Probation counts from accepting (docs/protocol.md, "Must-read rules"): say what it holds back, and for how long. */}
        {mustAccept && rules?.requireAcceptance && (current?.probationSeconds ?? 0) > 0 && (
          <p class="rules-probation small">⏳ {t('meetups.rules.probation', { duration: durationText(current!.probationSeconds!) })}</p>
        )}
        <ErrorLine error={error} />
        <div class="dialog-actions">
          <button type="button" onClick={close}>
            {mustAccept ? t('community.rules.later') : t('common.close')}
          </button>
          {mustAccept && (
            <button type="submit" class="primary" disabled={busy || !rules} data-autofocus>
              {t('community.rules.accept')}
            </button>
          )}
        </div>
      </div>
    </DialogFrame>
  );
}

/** A probation's length in the largest whole unit it fills ("10 minutes", "2 hours"). */
function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return t('meetups.duration.days', { count: seconds / 86_400 });
  if (seconds % 3_600 === 0) return t('meetups.duration.hours', { count: seconds / 3_600 });
  if (seconds >= 60 && seconds % 60 === 0) return t('meetups.duration.minutes', { count: seconds / 60 });
  return seconds > 120 ? t('meetups.duration.minutes', { count: Math.round(seconds / 60) }) : t('meetups.duration.seconds', { count: seconds });
}

/** Above the composer while I have not accepted the current rules: a way to read them. */
export function RulesBar({ roomId }: { roomId: string }) {
  const store = useStore();
  const current = store.community.rules.get(roomId);
  if (!current?.mustAccept) return null;
  return (
    <aside class="rules-bar" aria-label={t('community.rules.title')}>
      <span>{t('community.rules.bar')}</span>
      <button type="button" class="primary small" onClick={() => store.community.showRules(roomId, current)}>
        {t('community.rules.read')}
      </button>
    </aside>
  );
}
