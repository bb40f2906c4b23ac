/**
 * A 打卡 check-in challenge in the timeline: its days (or weeks) in its own time zone, how many
 * take part, my streak, today's check-in (with an optional line and photos) or "done", the
 * thumbnails of this period's photo check-ins (live), and the leaderboard. Photos upload as a
 * message's do (composer-uploads.tsx) and go with the check-in.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Challenge, Checkin, LeaderboardResponse } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { todayIn } from '../../state/community-forms.ts';
import { ErrorLine, toWireError, useStore } from '../common.tsx';
import type { WireError } from '../../state/store.ts';
import { CardFrame, useCardAction } from './card-frame.tsx';
import { openCommunityDialog } from './dialogs.tsx';
import { DialogFrame } from '../dialog.tsx';
import { Thumbnail } from '../attachments.tsx';
import { PickFilesButton, UploadTray, useUploads, type Uploads } from '../composer-uploads.tsx';
import { Lightbox } from '../lightbox.tsx';
import type { AttachmentView } from '../../media/attachment-view.ts';

export function ChallengeCard({ challenge }: { challenge: Challenge }) {
  const store = useStore();
  const community = store.community;
  const { busy, error, run } = useCardAction(challenge.roomId);
  const [text, setText] = useState('');
  const uploads = useUploads(challenge.roomId);
  useEffect(() => community.ensureChallenge(challenge.id), [challenge.id]);
  const photos = community.photoCheckins.get(challenge.id);
  const mine = community.challenges.get(challenge.id);
  const today = todayIn(challenge.timezone);
  const notStarted = today < challenge.startsOn;
  const ended = today > challenge.endsOn;
  const done = mine !== undefined && mine.lastPeriod !== null && mine.lastPeriod === mine.period;
  const weekly = challenge.cadence === 'weekly';

  const checkIn = (event: Event) => {
    event.preventDefault();
    // The photos leave the tray only once the check-in took them (a refusal keeps them for another try).
    const ids = uploads.items.filter((u) => u.status === 'ready' && u.attachment).map((u) => u.attachment!.id);
    void run(() => community.checkIn(challenge.id, text.trim(), ids)).then((ok) => {
      if (!ok) return;
      setText('');
      uploads.take();
    });
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
          <button type="submit" class="primary small" disabled={busy || uploads.uploading}>
            {weekly ? t('community.challenge.checkInWeek') : t('community.challenge.checkInToday')}
          </button>
          {/* After the check-in button: Tab from the line still reaches it first. */}
          <PhotoButton uploads={uploads} disabled={busy} />
        </form>
      )}
      {!notStarted && !ended && !done && <UploadTray uploads={uploads} />}
      {photos && photos.checkins.length > 0 && <PeriodPhotos checkins={photos.checkins} weekly={weekly} />}
      <div class="card-actions">
        <button type="button" class="link small challenge-leaderboard" onClick={() => openCommunityDialog((close) => <LeaderboardDialog challengeId={challenge.id} title={challenge.title} onClose={close} />)}>
          🏆 {t('community.challenge.leaderboard')}
        </button>
      </div>
      <ErrorLine error={error} />
    </CardFrame>
  );
}

/** 📷: pictures only, several at once; they upload at once into the tray below the line. */
function PhotoButton({ uploads, disabled }: { uploads: Uploads; disabled: boolean }) {
  return (
    <PickFilesButton uploads={uploads} disabled={disabled} class="ghost small checkin-photo-button" label={t('checkins.addPhoto')} testId="checkin-photo-input" accept="image/*">
      📷
    </PickFilesButton>
  );
}

/** This period's photo check-ins: a strip of thumbnails with who checked in; one tap opens the viewer. */
function PeriodPhotos({ checkins, weekly }: { checkins: Checkin[]; weekly: boolean }) {
  const [open, setOpen] = useState<number | null>(null);
  const pictures = checkins.flatMap((c) => c.attachments.filter((a) => a.kind === 'image').map((a) => ({ attachment: a as AttachmentView, who: c.user.displayName })));
  if (pictures.length === 0) return null;
  const label = weekly ? t('checkins.photosThisWeek') : t('checkins.photosToday');
  return (
    <section class="checkin-photos" aria-label={label}>
      <p class="muted small">{label}</p>
      <ul class="checkin-photo-strip">
        {pictures.map((p, i) => (
          <li key={p.attachment.id} class="checkin-photo" title={p.who}>
            <Thumbnail attachment={p.attachment} single={false} onOpen={() => setOpen(i)} />
            <span class="checkin-photo-name small">{p.who}</span>
          </li>
        ))}
      </ul>
      {open !== null && <Lightbox items={pictures.map((p) => p.attachment)} start={open} onClose={() => setOpen(null)} />}
    </section>
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
