/**
 * A meetup (线下活动) in the timeline: when, the map-free place line everyone sees, the exact
 * place only when the server gave it to me (confirmed, or staff), how many go and wait, my RSVP
 * with its waitlist position, and what I may do now: RSVP (the safety checklist first, once),
 * cancel it, "home safe" after the start; staff cancel the meetup and see who is coming.
 */
import { useEffect } from 'preact/hooks';
import type { Meetup } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { ErrorLine, toWireError, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { CardFrame, formatWhen, useCardAction } from './card-frame.tsx';
import { askChecklist } from './dialogs.tsx';

export function MeetupCard({ meetup, staff }: { meetup: Meetup; staff: boolean }) {
  const store = useStore();
  const community = store.community;
  const { busy, error, setError, run } = useCardAction(meetup.roomId);
  useEffect(() => community.ensureMeetup(meetup.id), [meetup.id]);
  const view = community.meetups.get(meetup.id);
  const rsvp = view?.rsvp ?? null;
  const detail = view?.event.place.detail ?? null;
  const now = Date.now();
  const started = new Date(meetup.startsAt).getTime() <= now;
  const cancelled = meetup.cancelledAt !== null;
  const rsvpClosed = started || (meetup.rsvpClosesAt !== null && new Date(meetup.rsvpClosesAt).getTime() <= now);
  const full = meetup.capacity !== null && meetup.going >= meetup.capacity;
  const going = rsvp?.status === 'confirmed' || rsvp?.status === 'waitlisted';

  const rsvpYes = async () => {
    setError(null);
    // The room's checklist, once per member per room, before the first RSVP.
    let seen = false;
    if (view && !view.checklistSeen) {
      if (!(await askChecklist(view.checklist))) return;
      seen = true;
    }
    await run(async () => {
      try {
        await community.rsvp(meetup.id, true, seen);
      } catch (e) {
        // Not known to this page yet (or seen on no device): the server asks for it.
        const wire = toWireError(e);
        if (wire.code !== 'SAFETY_CHECKLIST_REQUIRED') throw e;
        const lines = Array.isArray(wire.details?.checklist) ? (wire.details.checklist as string[]) : (view?.checklist ?? []);
        if (await askChecklist(lines)) await community.rsvp(meetup.id, true, true);
      }
    });
  };

  const counts =
    meetup.capacity !== null ? t('community.meetup.goingOf', { going: meetup.going, capacity: meetup.capacity }) : t('community.meetup.going', { going: meetup.going });

  return (
    <CardFrame kind="event" label={`${t('community.meetup.kind')}: ${meetup.title}`}>
      <header class="card-head">
        <span class="card-kind">📅 {t('community.meetup.kind')}</span>
        {cancelled && <span class="tag card-state">{t('community.meetup.cancelled')}</span>}
      </header>
      <h4 class="card-title">{meetup.title}</h4>
      <p class="meetup-when">
        <time dateTime={meetup.startsAt}>🕒 {formatWhen(meetup.startsAt, meetup.endsAt)}</time>
      </p>
      <p class="meetup-place">
        📍 {meetup.place.name}
        {meetup.place.area && <span class="muted"> · {meetup.place.area}</span>}
      </p>
      {detail && (
        <p class="meetup-detail" title={t('community.meetup.detailNote')}>
          🔒 <span class="meetup-detail-text">{detail}</span>
          <span class="muted small"> ({t('community.meetup.detailNote')})</span>
        </p>
      )}
      {meetup.description && <p class="card-description">{meetup.description}</p>}
      <p class="meetup-counts">
        {counts}
        {meetup.waiting > 0 && <span> · {t('community.meetup.waiting', { waiting: meetup.waiting })}</span>}
      </p>
      {rsvp?.status === 'confirmed' && <p class="meetup-status status-confirmed">✅ {t('community.meetup.youGo')}</p>}
      {rsvp?.status === 'waitlisted' && (
        <p class="meetup-status status-waitlisted">⏳ {rsvp.waitlistPosition ? t('community.meetup.youWait', { position: rsvp.waitlistPosition }) : t('community.meetup.youWaitPlain')}</p>
      )}
      {rsvp?.homeSafeAt && <p class="meetup-status status-home">🏠 {t('community.meetup.homeSafeDone')}</p>}
      <div class="card-actions">
        {!cancelled && !rsvpClosed && !going && (
          <button type="button" class="primary small rsvp-yes" disabled={busy} onClick={() => void rsvpYes()}>
            {full ? t('community.meetup.joinWaitlist') : t('community.meetup.rsvp')}
          </button>
        )}
        {!cancelled && !started && going && (
          <button type="button" class="small rsvp-no" disabled={busy} onClick={() => confirmFirst(t('community.meetup.cancelRsvpConfirm'), { confirmLabel: t('community.meetup.cancelRsvp') }, () => run(() => community.rsvp(meetup.id, false)))}>
            {t('community.meetup.cancelRsvp')}
          </button>
        )}
        {!cancelled && started && rsvp?.status === 'confirmed' && !rsvp.homeSafeAt && (
          <button type="button" class="small home-safe" disabled={busy} onClick={() => void run(() => community.homeSafe(meetup.id))}>
            🏠 {t('community.meetup.homeSafe')}
          </button>
        )}
        {staff && !cancelled && !started && (
          <button
            type="button"
            class="small danger cancel-meetup"
            disabled={busy}
            onClick={() => confirmFirst(t('community.meetup.cancelConfirm'), { confirmLabel: t('community.meetup.cancelMeetup'), danger: true }, () => run(() => community.cancelMeetup(meetup.id)))}
          >
            {t('community.meetup.cancelMeetup')}
          </button>
        )}
      </div>
      {staff && view && view.attendees.length > 0 && (
        <details class="attendees">
          <summary>{t('community.meetup.attendees', { count: view.attendees.length })}</summary>
          <ol>
            {view.attendees.map((a) => (
              <li key={a.user.id} data-status={a.status}>
                {a.user.displayName}
                <span class="muted small">
                  {' '}
                  {a.status === 'confirmed' ? t('community.meetup.confirmed') : a.status === 'waitlisted' ? t('community.meetup.waitlisted', { position: a.waitlistPosition ?? '' }) : ''}
                  {a.homeSafeAt ? ` · 🏠 ${t('community.meetup.homeSafeDone')}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </details>
      )}
      <ErrorLine error={error} />
    </CardFrame>
  );
}
