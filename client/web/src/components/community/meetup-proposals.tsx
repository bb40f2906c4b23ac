/**
 * Meetups members proposed, in the room panel's Events section: for owner and admins every
 * proposal waiting for them, with its exact place (to judge it), Approve, and Reject with an
 * optional reason told to the proposer; for a member their own proposals, waiting. Approved, a
 * proposal leaves the list and comes back as a card in the timeline.
 */
import { useState } from 'preact/hooks';
import type { Meetup } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { ErrorLine, useAction, useStore } from '../common.tsx';
import { formatWhen } from './card-frame.tsx';
import { FormDialog, openCommunityDialog } from './dialogs.tsx';

export function ProposalsList({ roomId, staff }: { roomId: string; staff: boolean }) {
  const store = useStore();
  const waiting = store.proposals.waiting.get(roomId);
  if (!waiting || waiting.length === 0) return null;
  return (
    <div class="meetup-proposals-block">
      <h4 class="small">{staff ? t('meetups.proposals.title') : t('meetups.proposals.mine')}</h4>
      <ul class="meetup-proposals">
        {waiting.map((meetup) => (
          <Proposal key={meetup.id} meetup={meetup} staff={staff} />
        ))}
      </ul>
    </div>
  );
}

function Proposal({ meetup, staff }: { meetup: Meetup; staff: boolean }) {
  const store = useStore();
  const { busy, error, run } = useAction();
  return (
    <li class="meetup-proposal" data-event-id={meetup.id}>
      <strong class="proposal-title">{meetup.title}</strong>
      <span class="small">🕒 {formatWhen(meetup.startsAt, meetup.endsAt)}</span>
      <span class="small">
        📍 {meetup.place.name}
        {meetup.place.area && <span class="muted"> · {meetup.place.area}</span>}
        {meetup.place.detail && <span class="muted"> · 🔒 {meetup.place.detail}</span>}
      </span>
      {meetup.description && <span class="small card-description">{meetup.description}</span>}
      {staff ? (
        <>
          <span class="muted small">{t('meetups.proposals.by', { name: meetup.createdBy.displayName })}</span>
          <div class="card-actions">
            <button type="button" class="primary small approve-proposal" disabled={busy} onClick={() => void run(() => store.proposals.approve(meetup.roomId, meetup.id))}>
              {t('meetups.proposals.approve')}
            </button>
            <button type="button" class="small danger reject-proposal" disabled={busy} onClick={() => openCommunityDialog((close) => <RejectDialog meetup={meetup} onClose={close} />)}>
              {t('meetups.proposals.reject')}
            </button>
          </div>
        </>
      ) : (
        <span class="muted small">⏳ {t('meetups.proposals.mine')}</span>
      )}
      <ErrorLine error={error} />
    </li>
  );
}

function RejectDialog({ meetup, onClose }: { meetup: Meetup; onClose: () => void }) {
  const store = useStore();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = () =>
    void run(async () => {
      await store.proposals.reject(meetup.roomId, meetup.id, reason.trim());
      onClose();
    });
  return (
    <FormDialog id="reject-proposal" title={`${t('meetups.proposals.rejectTitle')}: ${meetup.title}`} submitLabel={t('meetups.proposals.reject')} busy={busy} error={<ErrorLine error={error} />} onCancel={onClose} onSubmit={submit}>
      <label class="form-field">
        <span>{t('meetups.proposals.reason', { name: meetup.createdBy.displayName })}</span>
        <textarea name="reason" rows={3} maxLength={500} value={reason} data-autofocus onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
    </FormDialog>
  );
}
