/**
 * The room panel's Events section: the room's upcoming meetups, soonest first (GET …/events?
 * upcoming=true, kept live by the feed), each with its place line, head count and my RSVP, a
 * jump to its card, and for the staff a way to start one; the owner adds the room's own lines
 * to the meeting-safety checklist. Where the room lets members propose meetups, a member proposes
 * one here and sees it waiting; the staff see the proposals and decide them (meetup-proposals.tsx).
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { ErrorLine, Section, useAction, useStore } from '../common.tsx';
import { jumpTo } from '../message-list.tsx';
import { formatWhen } from './card-frame.tsx';
import { openCreateForm } from './create-menu.tsx';
import { ProposalsList } from './meetup-proposals.tsx';

export function EventsSection({ roomId, staff, onJump }: { roomId: string; staff: boolean; onJump?: () => void }) {
  const store = useStore();
  const community = store.community;
  const events = community.upcoming.get(roomId);
  const owner = store.rooms.get(roomId)?.role === 'owner';
  const proposing = !staff && store.rooms.get(roomId)?.room.membersProposeEvents === true;
  const [own, setOwn] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const load = () => {
    void community.loadUpcoming(roomId).catch(() => {});
    if (staff || proposing) void store.proposals.load(roomId).catch(() => []);
    if (owner) void community.ownChecklist(roomId).then((lines) => setOwn(lines.join('\n')), () => {});
  };
  const jump = (messageId: string) => {
    const seq = store.timeline(roomId).messages.find((m) => m.id === messageId)?.seq;
    if (seq === undefined) return;
    onJump?.();
    void jumpTo(store, roomId, seq);
  };
  return (
    <Section title={t('community.events.title')} onOpen={load}>
      {!events && <p class="muted small">{t('common.loading')}</p>}
      {events && events.length === 0 && <p class="muted small">{t('community.events.none')}</p>}
      {events && events.length > 0 && (
        <ul class="upcoming-events">
          {events.map((e) => {
            const mine = community.meetups.get(e.id)?.rsvp?.status;
            const loaded = store.timeline(roomId).messages.some((m) => m.id === e.messageId);
            return (
              <li key={e.id} class="upcoming-event" data-event-id={e.id}>
                <strong class="upcoming-title">{e.title}</strong>
                <span class="small">🕒 {formatWhen(e.startsAt, e.endsAt)}</span>
                <span class="small">
                  📍 {e.place.name}
                  {e.place.area && <span class="muted"> · {e.place.area}</span>}
                </span>
                <span class="muted small">
                  {e.capacity !== null ? t('community.meetup.goingOf', { going: e.going, capacity: e.capacity }) : t('community.meetup.going', { going: e.going })}
                  {e.waiting > 0 && ` · ${t('community.meetup.waiting', { waiting: e.waiting })}`}
                  {mine === 'confirmed' && ` · ✅ ${t('community.meetup.youGo')}`}
                  {mine === 'waitlisted' && ` · ⏳ ${t('community.meetup.youWaitPlain')}`}
                </span>
                {loaded && (
                  <button type="button" class="link small" onClick={() => jump(e.messageId)}>
                    {t('community.events.show')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ProposalsList roomId={roomId} staff={staff} />
      {staff && (
        <button type="button" class="small" onClick={() => openCreateForm('event', roomId)}>
          📅 {t('community.create.meetup')}
        </button>
      )}
      {proposing && (
        <button type="button" class="small propose-meetup" onClick={() => openCreateForm('event', roomId)}>
          📅 {t('meetups.propose')}
        </button>
      )}
      {owner && own !== null && (
        <form
          class="checklist-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            const lines = own.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 10);
            void run(async () => {
              setOwn((await community.saveChecklist(roomId, lines)).join('\n'));
              setSaved(true);
            });
          }}
        >
          <label>
            <span>🛡️ {t('community.checklist.own')}</span>
            <textarea name="checklist" rows={3} maxLength={2010} value={own} onInput={(e) => setOwn(e.currentTarget.value)} />
          </label>
          <ErrorLine error={error} />
          {saved && <p class="muted small" role="status">{t('community.checklist.saved')}</p>}
          <button type="submit" class="small" disabled={busy}>
            {t('community.save')}
          </button>
        </form>
      )}
    </Section>
  );
}
