/**
 * 消息请求: first messages from people who may not write to me directly. Each shows who sent it
 * and its text (text only, by the server's stricter rules); Accept opens the conversation with
 * it, Ignore drops it (the sender is not told), Report sends it to the site's moderators. Below,
 * my own requests still waiting for an answer.
 */
import { useState } from 'preact/hooks';
import type { ReportReason } from '../../../../shared/schemas.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import type { DmRequest } from '../state/dms.ts';
import type { View, WireError } from '../state/store.ts';
import { Avatar, ErrorLine, toWireError, useStore } from './common.tsx';
import { DialogFrame } from './dialog.tsx';
import { openProfileCard } from './profile-card.tsx';
import { ReportFields } from './report.tsx';

export function RequestsView({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  const [error, setError] = useState<WireError | null>(null);
  const [reporting, setReporting] = useState<DmRequest | null>(null);
  const run = (work: () => Promise<void>) => {
    setError(null);
    work().catch((e: unknown) => setError(toWireError(e)));
  };
  const { requests, sent } = store.dms;
  return (
    <section class="chat requests-view" aria-labelledby="requests-title">
      <header class="chat-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <div class="chat-title">
          <h2 id="requests-title">{t('dm.requests')}</h2>
          <p class="muted">{t('dm.requestsAbout')}</p>
        </div>
      </header>
      <div class="requests-body">
        <ErrorLine error={error} />
        {requests.length === 0 && <p class="muted">{t('dm.requestsNone')}</p>}
        <ul class="plain-list request-list">
          {requests.map((request) => (
            <li key={request.id} class="request-item" data-request-id={request.id}>
              <button type="button" class="ghost avatar-button" onClick={() => openProfileCard(request.sender.id)} aria-label={t('people.openCard', { name: request.sender.displayName })}>
                <Avatar name={request.sender.displayName} id={request.sender.id} />
              </button>
              <div class="request-main">
                <p class="request-from">
                  <button type="button" class="link sender" onClick={() => openProfileCard(request.sender.id)}>
                    {request.sender.displayName}
                  </button>{' '}
                  <span class="muted small">@{request.sender.username}</span> <time class="muted small" dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
                </p>
                <p class="request-text">{request.text}</p>
                <div class="row request-actions">
                  <button
                    type="button"
                    class="primary"
                    onClick={() =>
                      run(async () => {
                        const roomId = await store.dms.accept(request.id);
                        navigate({ kind: 'room', roomId });
                      })
                    }
                  >
                    {t('dm.accept')}
                  </button>
                  <button type="button" onClick={() => run(() => store.dms.ignore(request.id))}>
                    {t('dm.ignore')}
                  </button>
                  <button type="button" class="danger" onClick={() => setReporting(request)}>
                    {t('chat.report')}
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
        {sent.length > 0 && (
          <>
            <h3 class="section-title">{t('dm.sentTitle')}</h3>
            <ul class="plain-list request-list sent-requests">
              {sent.map((request) => (
                <li key={request.id} class="request-item" data-request-id={request.id}>
                  <Avatar name={request.recipient.displayName} id={request.recipient.id} />
                  <div class="request-main">
                    <p class="request-from">
                      {t('dm.sentTo', { name: request.recipient.displayName })} <span class="tag">{t('dm.awaiting')}</span>
                    </p>
                    <p class="request-text muted">{request.text}</p>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {reporting && <ReportRequestDialog request={reporting} onClose={() => setReporting(null)} />}
    </section>
  );
}

function ReportRequestDialog({ request, onClose }: { request: DmRequest; onClose: () => void }) {
  const store = useStore();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const [error, setError] = useState<WireError | null>(null);
  const submit = async () => {
    try {
      await store.dms.report(request.id, reason, note.trim() || undefined);
      onClose();
    } catch (e) {
      setError(toWireError(e));
    }
  };
  return (
    <DialogFrame labelledBy="report-request-title" onCancel={onClose} onSubmit={() => void submit()}>
      <h3 id="report-request-title">{t('dm.reportTitle', { name: request.sender.displayName })}</h3>
      <blockquote class="muted">{request.text.slice(0, 200)}</blockquote>
      <ReportFields reason={reason} note={note} onReason={setReason} onNote={setNote} />
      <p class="muted small">{t('dm.reportHint', { name: request.sender.displayName })}</p>
      <ErrorLine error={error} />
      <div class="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary">
          {t('report.submit')}
        </button>
      </div>
    </DialogFrame>
  );
}
