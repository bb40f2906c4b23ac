/**
 * The meetup popups (state/meetup-popups.ts), over whatever page is open: "Meetup in 1 hour:
 * title · place" with the exact place for the attendee, and what the staff decided about my
 * proposal. Each has a button that opens the meetup's card in its room, and a dismiss button; a
 * status region, so a screen reader says it without taking the focus away from what I was typing.
 */
import { t } from '../../i18n/index.ts';
import type { MeetupPopup } from '../../state/meetup-popups.ts';
import { useStore } from '../common.tsx';
import { jumpTo } from '../message-list.tsx';

/** How long opening waits for the room's history to arrive before giving up on scrolling to the card. */
const CARD_WAIT_MS = 5000;

export function MeetupPopups({ navigate }: { navigate: (view: { kind: 'room'; roomId: string }) => void }) {
  const store = useStore();
  const popups = store.popups.shown;
  if (popups.length === 0) return null;
  const open = (popup: MeetupPopup) => {
    store.popups.dismiss(popup.id);
    navigate({ kind: 'room', roomId: popup.roomId });
    const until = Date.now() + CARD_WAIT_MS;
    const look = () => {
      const card = store.timeline(popup.roomId).messages.find((m) => m.kind === 'event' && (m.data as { meetup?: { id?: string } } | null)?.meetup?.id === popup.eventId);
      if (card) void jumpTo(store, popup.roomId, card.seq);
      else if (Date.now() < until) setTimeout(look, 100);
    };
    setTimeout(look, 0);
  };
  return (
    <div class="meetup-popups" role="status" aria-live="polite">
      {popups.map((popup) => (
        <section key={popup.id} class={`meetup-popup popup-${popup.kind}`} data-event-id={popup.eventId} aria-label={t('meetups.popup.label')}>
          <div class="meetup-popup-text">
            <p class="meetup-popup-title">📅 {headline(popup)}</p>
            {popup.kind === 'reminder' && popup.place.detail && <p class="small meetup-popup-detail">🔒 {popup.place.detail}</p>}
            {popup.kind === 'proposal' && popup.status === 'rejected' && popup.reason && <p class="small muted">{t('meetups.popup.reason', { reason: popup.reason })}</p>}
          </div>
          <div class="meetup-popup-actions">
            {!(popup.kind === 'proposal' && popup.status !== 'approved') && (
              <button type="button" class="primary small" onClick={() => open(popup)}>
                {t('meetups.popup.open')}
              </button>
            )}
            <button type="button" class="ghost small" aria-label={t('common.close')} onClick={() => store.popups.dismiss(popup.id)}>
              ✕
            </button>
          </div>
        </section>
      ))}
    </div>
  );
}

function headline(popup: MeetupPopup): string {
  if (popup.kind === 'reminder') {
    const place = popup.place.area ? `${popup.place.name}, ${popup.place.area}` : popup.place.name;
    return t(popup.before === '1h' ? 'meetups.popup.reminder.1h' : 'meetups.popup.reminder.24h', { title: popup.title, place });
  }
  return t(popup.status === 'approved' ? 'meetups.popup.approved' : popup.status === 'rejected' ? 'meetups.popup.rejected' : 'meetups.popup.sent', { title: popup.title });
}
