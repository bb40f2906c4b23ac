/**
 * The dialogs the message menu opens: forward (转发) to another room or DM, and (staff) the
 * earlier versions of an edited message. Shown by <MessageDialogHost />, rendered once beside
 * the timeline, so they live outside the message list (whose roving tab order would take their
 * buttons out of reach).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Message } from '../../../../shared/schemas.ts';
import { newClientMsgId } from '../../../sdk/index.ts';
import { errorText, formatDateTime, reasonText, t } from '../i18n/index.ts';
import { forwardOutcome, forwardTargets, type ForwardOutcome, type ForwardTarget } from '../state/forward.ts';
import type { SafetyReason, WireError } from '../state/store.ts';
import { Avatar, toWireError, useStore } from './common.tsx';
import { DialogFrame } from './dialog.tsx';
import { roomTitle } from './dm-list.tsx';

type Open = { kind: 'forward'; message: Message } | { kind: 'versions'; message: Message };

let show: ((open: Open | null) => void) | null = null;

export function openForwardDialog(message: Message): void {
  show?.({ kind: 'forward', message });
}

export function openVersionsDialog(message: Message): void {
  show?.({ kind: 'versions', message });
}

export function MessageDialogHost({ onOpenRoom }: { onOpenRoom: (roomId: string) => void }) {
  const [open, setOpen] = useState<Open | null>(null);
  useEffect(() => {
    show = setOpen;
    return () => {
      show = null;
    };
  }, []);
  if (!open) return null;
  const close = () => setOpen(null);
  return open.kind === 'forward' ? (
    <ForwardDialog
      message={open.message}
      onClose={close}
      onOpenRoom={(roomId) => {
        close();
        onOpenRoom(roomId);
      }}
    />
  ) : (
    <VersionsDialog message={open.message} onClose={close} />
  );
}

function ForwardDialog({ message, onClose, onOpenRoom }: { message: Message; onClose: () => void; onOpenRoom: (roomId: string) => void }) {
  const store = useStore();
  const [query, setQuery] = useState('');
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const [done, setDone] = useState<{ outcome: ForwardOutcome; target: ForwardTarget } | null>(null);
  // One clientMsgId per chosen room: a retry after a lost answer is the same forward, not a second.
  const [ids] = useState(() => new Map<string, string>());
  // The answer replaces the list: the focus goes to its "Done" (the button it was on is gone).
  useEffect(() => {
    if (done) document.querySelector<HTMLElement>('.forward-done-button')?.focus();
  }, [done]);
  // A DM room goes by the other person's name, as in the room list.
  const dmNames = new Map([...store.rooms.values()].filter((e) => e.room.kind === 'dm').map((e) => [e.room.id, roomTitle(store, e)]));
  const source = store.rooms.get(message.roomId)?.room;
  const disabledHere = source ? !source.membersCanForward : false;
  const targets = forwardTargets(store.rooms.values(), message.roomId, dmNames, query);
  const all = forwardTargets(store.rooms.values(), message.roomId, dmNames);
  const chosen = all.find((x) => x.roomId === choice) ?? null;

  const send = async () => {
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    let clientMsgId = ids.get(chosen.roomId);
    if (!clientMsgId) ids.set(chosen.roomId, (clientMsgId = newClientMsgId()));
    try {
      // A forward held for review in the destination answers 202 with the reason in place of the message.
      const answer: { message?: Message; error?: WireError } = await store.client.rest.call('POST /v1/rooms/:roomId/messages/:seq/forward', {
        params: { roomId: message.roomId, seq: message.seq },
        body: { toRoomId: chosen.roomId, clientMsgId },
      });
      const outcome = forwardOutcome(answer);
      if (outcome.status === 'sent') store.lastSentAt.set(chosen.roomId, Date.now());
      setDone({ outcome, target: chosen });
    } catch (e) {
      setError(toWireError(e));
    } finally {
      setBusy(false);
    }
  };

  const preview = message.text.length > 120 ? `${message.text.slice(0, 120)}…` : message.text;
  const reasons = (error?.details?.reasons as SafetyReason[] | undefined) ?? [];
  return (
    <DialogFrame labelledBy="forward-title" onCancel={onClose} onSubmit={() => (done ? onClose() : void send())}>
      <h3 id="forward-title">{t('forward.title')}</h3>
      <blockquote class="forward-preview">
        <strong>{message.sender?.displayName ?? t('chat.system')}</strong>: {preview}
      </blockquote>
      {done ? (
        <>
          <p class="notice forward-done" role="status">
            {done.outcome.status === 'sent' ? t('forward.sent', { name: done.target.name }) : t('forward.held', { name: done.target.name })}
          </p>
          <div class="dialog-actions">
            <button type="button" onClick={() => onOpenRoom(done.target.roomId)}>
              {t('forward.open', { name: done.target.name })}
            </button>
            <button type="submit" class="primary forward-done-button">
              {t('forward.done')}
            </button>
          </div>
        </>
      ) : (
        <>
          {disabledHere && <p class="warn-text">{t('error.FORWARDING_DISABLED')}</p>}
          <input type="search" class="forward-filter" placeholder={t('forward.filter')} aria-label={t('forward.filter')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} data-autofocus />
          {all.length === 0 ? (
            <p class="muted">{t('forward.noRooms')}</p>
          ) : (
            <ul class="forward-targets" role="radiogroup" aria-label={t('forward.title')}>
              {targets.map((target) => (
                <li key={target.roomId}>
                  <label class="forward-target">
                    <input type="radio" name="forward-to" value={target.roomId} checked={choice === target.roomId} onChange={() => setChoice(target.roomId)} />
                    <Avatar name={target.name || '?'} id={target.roomId} size={28} />
                    <span class="forward-target-name">{target.name || '…'}</span>
                    {target.kind === 'dm' && <span class="tag">{t('forward.dm')}</span>}
                  </label>
                </li>
              ))}
            </ul>
          )}
          {error && (
            <div class="error-line forward-error" role="alert" data-code={error.code}>
              {errorText(error)}
              {reasons.length > 0 && (
                <ul class="reasons">
                  {reasons.map((r) => (
                    <li key={r.code} data-code={r.code}>
                      {reasonText(r)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div class="dialog-actions">
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" class="primary" disabled={!chosen || busy || disabledHere}>
              {chosen ? t('forward.sendTo', { name: chosen.name }) : t('forward.send')}
            </button>
          </div>
        </>
      )}
    </DialogFrame>
  );
}

function VersionsDialog({ message, onClose }: { message: Message; onClose: () => void }) {
  const store = useStore();
  const [versions, setVersions] = useState<Awaited<ReturnType<typeof store.edits.history>> | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  useEffect(() => {
    store.edits.history(message.roomId, message.seq).then(setVersions, (e: unknown) => setError(toWireError(e)));
  }, []);
  return (
    <DialogFrame labelledBy="versions-title" onCancel={onClose} onSubmit={onClose}>
      <h3 id="versions-title">{t('edit.versionsTitle')}</h3>
      {error && (
        <p class="error-line" role="alert">
          {errorText(error)}
        </p>
      )}
      {!versions && !error && <p class="muted">{t('common.loading')}</p>}
      {versions && (
        <ol class="versions">
          {versions.map((v) => (
            <li key={v.version} class={v.current ? 'version current' : 'version'}>
              <p class="muted small">
                {v.current ? t('edit.versionCurrent', { time: formatDateTime(v.at) }) : t('edit.versionReplaced', { n: v.version, time: formatDateTime(v.at) })}
              </p>
              <p class="version-text">{v.text}</p>
            </li>
          ))}
        </ol>
      )}
      <div class="dialog-actions">
        <button type="submit" class="primary" data-autofocus>
          {t('common.close')}
        </button>
      </div>
    </DialogFrame>
  );
}
