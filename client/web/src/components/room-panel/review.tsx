/** The review queue: held messages and files, and reported messages, each with its reasons and the staff's two choices. */
import type { ComponentChildren } from 'preact';
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
  const waiting = queue ? queue.held.length + queue.reported.length + heldFiles.length : (store.staff.counts.get(roomId)?.review ?? 0);
  return (
    <Section title={`${t('panel.review')}${waiting > 0 ? ` (${waiting})` : ''}`} onOpen={reload}>
      <ErrorLine error={error} />
      {queue && queue.held.length === 0 && queue.reported.length === 0 && heldFiles.length === 0 && <p class="muted">{t('panel.noReview')}</p>}
      <ul class="plain-list review-list">
        {(queue?.held ?? []).map((h) => (
          <ReviewItem key={h.id} who={h.sender.displayName} tag={t('panel.held')}>
            {h.text && <blockquote>{h.text}</blockquote>}
            <MessageAttachments attachments={(h as { attachments?: AttachmentView[] }).attachments ?? []} />
            <Reasons reasons={h.reasons} />
            <Choices run={run} reload={reload} decide={(choice) => rest.decideHeld(roomId, h.id, choice)} />
          </ReviewItem>
        ))}
        {heldFiles.map((h) => (
          <ReviewItem key={h.attachment.id} who={h.uploader.displayName} tag={t('panel.held')} class="held-attachment" attachmentId={h.attachment.id}>
            {/* Pictures and players for the staff to judge; other files only by name, never a one-click download of a suspected program. */}
            {h.attachment.kind === 'file' ? <FileCard attachment={h.attachment} download={false} /> : <MessageAttachments attachments={[h.attachment]} />}
            <Reasons reasons={h.reasons} />
            <Choices run={run} reload={reload} decide={(choice) => rest.decideHeldAttachment(roomId, h.attachment.id, choice)} />
          </ReviewItem>
        ))}
        {(queue?.reported ?? []).map((r) => (
          <ReviewItem key={r.seq} who={r.sender?.displayName ?? t('chat.system')} tag={r.openReports === 1 ? t('panel.reportCountOne') : t('panel.reportCount', { count: r.openReports })}>
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
          </ReviewItem>
        ))}
      </ul>
    </Section>
  );
}

/** One thing waiting for the staff: who sent it, why it waits, then what it is and the choices. */
function ReviewItem(props: { who: string; tag: string; class?: string; attachmentId?: string; children: ComponentChildren }) {
  return (
    <li class={`review-item${props.class ? ` ${props.class}` : ''}`} data-attachment-id={props.attachmentId}>
      <p>
        <strong>{props.who}</strong> <span class="tag warn">{props.tag}</span>
      </p>
      {props.children}
    </li>
  );
}

/** Why the safety rules held it, in words, with the code beside for staff who look it up. */
function Reasons({ reasons }: { reasons: Array<Parameters<typeof reasonText>[0]> }) {
  return (
    <ul class="reasons">
      {reasons.map((r) => (
        <li key={r.code} data-code={r.code}>
          {reasonText(r)} <code>{r.code}</code>
        </li>
      ))}
    </ul>
  );
}

/** A held message's or file's two choices; the queue reloads after either. */
function Choices({ run, reload, decide }: { run: Run; reload: () => void; decide: (choice: 'approve' | 'reject') => Promise<unknown> }) {
  return (
    <>
      <button type="button" class="primary small" onClick={() => void run(() => decide('approve')).then(reload)}>
        {t('panel.approve')}
      </button>
      <button type="button" class="small" onClick={() => void run(() => decide('reject')).then(reload)}>
        {t('panel.reject')}
      </button>
    </>
  );
}

