/** The review queue: held messages and files, and reported messages, each with its reasons and the staff's two choices. */
import { useEffect } from 'preact/hooks';
import type { ReviewQueueResponse } from '../../../../../shared/schemas.ts';
import { reasonText, t, type MessageKey } from '../../i18n/index.ts';
import { attachmentsOf, type AttachmentView } from '../../media/attachment-view.ts';
import { FileCard, MessageAttachments } from '../attachments.tsx';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { useLoader, type Run } from './actions.ts';

export function ReviewSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [queue, reload, error] = useLoader<ReviewQueueResponse>(() => rest.reviewQueue(roomId));
  useEffect(
    () =>
      store.client.on('event', (name, payload) => (name === 'review:new' || name === 'review:decided') && (payload as { roomId?: string }).roomId === roomId && queue && reload()),
    [queue],
  );
  const heldFiles = queue?.attachments ?? [];
  const waiting = queue ? queue.held.length + queue.reported.length + heldFiles.length : (store.staffQueues.get(roomId)?.review ?? 0);
  return (
    <Section title={`${t('panel.review')}${waiting > 0 ? ` (${waiting})` : ''}`} onOpen={reload}>
      <ErrorLine error={error} />
      {queue && queue.held.length === 0 && queue.reported.length === 0 && heldFiles.length === 0 && <p class="muted">{t('panel.noReview')}</p>}
      <ul class="plain-list review-list">
        {(queue?.held ?? []).map((h) => (
          <li key={h.id} class="review-item">
            <p>
              <strong>{h.sender.displayName}</strong> <span class="tag warn">{t('panel.held')}</span>
            </p>
            {h.text && <blockquote>{h.text}</blockquote>}
            <MessageAttachments attachments={(h as { attachments?: AttachmentView[] }).attachments ?? []} />
            <ul class="reasons">
              {h.reasons.map((r) => (
                <li key={r.code} data-code={r.code}>
                  {reasonText(r)} <code>{r.code}</code>
                </li>
              ))}
            </ul>
            <button type="button" class="primary small" onClick={() => void run(() => rest.decideHeld(roomId, h.id, 'approve')).then(reload)}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => void run(() => rest.decideHeld(roomId, h.id, 'reject')).then(reload)}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
        {heldFiles.map((h) => (
          <li key={h.attachment.id} class="review-item held-attachment" data-attachment-id={h.attachment.id}>
            <p>
              <strong>{h.uploader.displayName}</strong> <span class="tag warn">{t('panel.held')}</span>
            </p>
            {/* Pictures and players for the staff to judge; other files only by name, never a one-click download of a suspected program. */}
            {h.attachment.kind === 'file' ? <FileCard attachment={h.attachment} download={false} /> : <MessageAttachments attachments={[h.attachment]} />}
            <ul class="reasons">
              {h.reasons.map((r) => (
                <li key={r.code} data-code={r.code}>
                  {reasonText(r)} <code>{r.code}</code>
                </li>
              ))}
            </ul>
            <button type="button" class="primary small" onClick={() => void run(() => rest.decideHeldAttachment(roomId, h.attachment.id, 'approve')).then(reload)}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => void run(() => rest.decideHeldAttachment(roomId, h.attachment.id, 'reject')).then(reload)}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
        {(queue?.reported ?? []).map((r) => (
          <li key={r.seq} class="review-item">
            <p>
              <strong>{r.sender?.displayName ?? t('chat.system')}</strong> <span class="tag warn">{r.openReports === 1 ? t('panel.reportCountOne') : t('panel.reportCount', { count: r.openReports })}</span>
            </p>
            {r.text && <blockquote>{r.text}</blockquote>}
            <MessageAttachments attachments={attachmentsOf(r)} />
            <ul class="reasons">
              {r.reports.map((x) => (
                <li key={x.id}>
                  {x.reporter.displayName}: {t(`report.reason.${x.reason}` as MessageKey)}
                  {x.note && ` — ${x.note}`}
                </li>
              ))}
            </ul>
            <button type="button" class="small" onClick={() => void run(() => rest.decideReported(roomId, r.seq, 'dismiss')).then(reload)}>
              {t('panel.dismiss')}
            </button>
            <button type="button" class="danger small" onClick={() => void run(() => rest.decideReported(roomId, r.seq, 'remove')).then(reload)}>
              {t('panel.remove')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}
