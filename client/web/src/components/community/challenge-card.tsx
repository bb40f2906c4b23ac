/**
 * A 打卡 check-in challenge in the timeline: its days (or weeks) in its own time zone, how many
 * take part, my streak, today's check-in (with an optional line) or "done", and the leaderboard.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Challenge, LeaderboardResponse } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { todayIn } from '../../state/community-forms.ts';
import { ErrorLine, toWireError, useStore } from '../common.tsx';
import type { WireError } from '../../state/store.ts';
import { CardFrame, useCardAction } from './card-frame.tsx';
import { openCommunityDialog } from './dialogs.tsx';
import { DialogFrame } from '../dialog.tsx';

export function ChallengeCard({ challenge }: { challenge: Challenge }) {
  const store = useStore();
  const community = store.community;
  const { busy, error, run } = useCardAction(challenge.roomId);
  const [text, setText] = useState('');
  useEffect(() => community.ensureChallenge(challenge.id), [challenge.id]);
  const mine = community.challenges.get(challenge.id);
  const today = todayIn(challenge.timezone);
  const notStarted = today < challenge.startsOn;
  const ended = today > challenge.endsOn;
  const done = mine !== undefined && mine.lastPeriod !== null && mine.lastPeriod === mine.period;
  const weekly = challenge.cadence === 'weekly';

  const checkIn = (event: Event) => {
    event.preventDefault();
    void run(() => community.checkIn(challenge.id, text.trim())).then((ok) => ok && setText(''));
  };

  return (
    <CardFrame kind="challenge" label={`${t('community.challenge.kind')}: ${challenge.title}`}>
      <header class="card-head">
        <span class="card-kind">🔥 {t('community.challenge.kind')}</span>
        {ended && <span class="tag card-state">{t('community.challenge.ended')}</span>}
      </header>
      <h4 class="card-title">{challenge.title}</h4>
      <p class="muted small">
        {weekly ? t('community.challenge.weekly') : t('community.challenge.daily')} · {challenge.startsOn} – {challenge.endsOn} · {challenge.timezone}
      </p>
      <p class="small challenge-counts">{t('community.challenge.counts', { participants: challenge.participants, checkins: challenge.checkins })}</p>
      {mine && mine.streak > 0 && <p class="challenge-streak">🔥 {t(weekly ? 'community.challenge.streakWeeks' : 'community.challenge.streakDays', { count: mine.streak })}</p>}
      {notStarted && <p class="muted small">{t('community.challenge.startsOn', { date: challenge.startsOn })}</p>}
      {!notStarted && !ended && done && <p class="challenge-done">✅ {weekly ? t('community.challenge.doneWeek') : t('community.challenge.doneToday')}</p>}
      {!notStarted && !ended && !done && (
        <form class="card-inline-form challenge-checkin" onSubmit={checkIn}>
          <input maxLength={LIMITS.entry} value={text} placeholder={t('community.challenge.textPlaceholder')} aria-label={t('community.challenge.textLabel')} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" class="primary small" disabled={busy}>
            {weekly ? t('community.challenge.checkInWeek') : t('community.challenge.checkInToday')}
          </button>
        </form>
      )}
      <div class="card-actions">
        <button type="button" class="link small challenge-leaderboard" onClick={() => openCommunityDialog((close) => <LeaderboardDialog challengeId={challenge.id} title={challenge.title} onClose={close} />)}>
          🏆 {t('community.challenge.leaderboard')}
        </button>
      </div>
      <ErrorLine error={error} />
    </CardFrame>
  );
}

function LeaderboardDialog({ challengeId, title, onClose }: { challengeId: string; title: string; onClose: () => void }) {
  const store = useStore();
  const [board, setBoard] = useState<LeaderboardResponse | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  useEffect(() => {
    store.community.leaderboard(challengeId).then(setBoard, (e: unknown) => setError(toWireError(e)));
  }, [challengeId]);
  return (
    <DialogFrame labelledBy="leaderboard-title" onCancel={onClose} onSubmit={onClose}>
      <div class="leaderboard-dialog">
        <h3 id="leaderboard-title">
          🏆 {t('community.challenge.leaderboard')}: {title}
        </h3>
        <ErrorLine error={error} />
        {!board && !error && <p class="muted">{t('common.loading')}</p>}
        {board && board.leaders.length === 0 && <p class="muted">{t('community.challenge.noLeaders')}</p>}
        {board && board.leaders.length > 0 && (
          <ol class="leaders">
            {board.leaders.map((l) => (
              <li key={l.user.id} class={l.user.id === store.me?.id ? 'mine' : ''}>
                <span class="leader-name">{l.user.displayName}</span>
                <span class="muted small"> {t('community.challenge.leaderLine', { checkins: l.checkins, streak: l.streak })}</span>
              </li>
            ))}
          </ol>
        )}
        <div class="dialog-actions">
          <button type="submit" class="primary" data-autofocus>
            {t('common.close')}
          </button>
        </div>
      </div>
    </DialogFrame>
  );
}
