/** Reporting a message to the room's owner and admins. */
import { useState } from 'preact/hooks';
import type { Message, ReportReason } from '../../../../shared/schemas.ts';
import { t } from '../i18n/index.ts';
import type { WireError } from '../state/store.ts';
import { ErrorLine, toWireError, useStore } from './common.tsx';
import { DialogFrame } from './dialog.tsx';

const REASONS: ReportReason[] = ['spam', 'scam', 'harassment', 'privacy', 'other'];

export function ReportDialog({ roomId, message, onClose }: { roomId: string; message: Message; onClose: () => void }) {
  const store = useStore();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const [error, setError] = useState<WireError | null>(null);
  const [done, setDone] = useState(false);

  const submit = async () => {
    if (done) return onClose();
    try {
      await store.client.rest.report(roomId, message.seq, { reason, ...(note.trim() ? { note: note.trim() } : {}) });
      setDone(true);
    } catch (e) {
      setError(toWireError(e));
    }
  };

  return (
    <DialogFrame labelledBy="report-title" onCancel={onClose} onSubmit={() => void submit()}>
      <h3 id="report-title">{t('report.title')}</h3>
      <blockquote class="muted">{message.text.slice(0, 200)}</blockquote>
      {done ? (
        <p class="notice">{t('report.done')}</p>
      ) : (
        <ReportFields reason={reason} note={note} onReason={setReason} onNote={setNote} />
      )}
      <ErrorLine error={error} />
      <div class="dialog-actions">
        <button type="button" onClick={onClose}>
          {done ? t('common.close') : t('common.cancel')}
        </button>
        {!done && (
          <button type="submit" class="primary">
            {t('report.submit')}
          </button>
        )}
      </div>
    </DialogFrame>
  );
}

/** Why and, if the reporter likes, a note: the same two fields for a message and a message request. */
export function ReportFields(props: { reason: ReportReason; note: string; onReason: (reason: ReportReason) => void; onNote: (note: string) => void }) {
  return (
    <>
      <label>
        {t('report.reason')}
        <select data-autofocus value={props.reason} onChange={(e) => props.onReason(e.currentTarget.value as ReportReason)}>
          {REASONS.map((r) => (
            <option value={r} key={r}>
              {t(`report.reason.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('report.note')}
        <textarea maxLength={500} value={props.note} onInput={(e) => props.onNote(e.currentTarget.value)} />
      </label>
    </>
  );
}

