/**
 * A poll in the timeline: each option with its bar and live tally, my choice marked; one tap
 * votes (or changes the vote) on a single-choice poll, a multiple-choice poll is ticked and sent;
 * an anonymous poll says that no one sees who voted what. Its author and the staff close it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Poll } from '../../../../../shared/community.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { CardFrame, useCardAction } from './card-frame.tsx';

export function PollCard({ poll, staff }: { poll: Poll; staff: boolean }) {
  const store = useStore();
  const community = store.community;
  const { busy, error, run } = useCardAction(poll.roomId);
  useEffect(() => community.ensurePoll(poll.id), [poll.id]);
  const myVote = community.polls.get(poll.id)?.myVote ?? [];
  const [ticked, setTicked] = useState<string[] | null>(null);
  const chosen = ticked ?? myVote;
  const total = poll.options.reduce((n, o) => n + o.votes, 0);
  const canClose = !poll.closed && (staff || poll.createdBy.id === store.me?.id);
  const vote = (optionIds: string[]) => void run(() => community.vote(poll.id, optionIds)).then((ok) => ok && setTicked(null));
  const changedTicks = ticked !== null && (ticked.length !== myVote.length || ticked.some((id) => !myVote.includes(id)));

  return (
    <CardFrame kind="poll" label={`${t('community.poll.kind')}: ${poll.question}`}>
      <header class="card-head">
        <span class="card-kind">📊 {t('community.poll.kind')}</span>
        {poll.closed && <span class="tag card-state">{t('community.poll.closed')}</span>}
      </header>
      <h4 class="card-title">{poll.question}</h4>
      <p class="muted small">
        {poll.multiple ? t('community.poll.multiple') : t('community.poll.single')}
        {poll.anonymous && ` · 🕶️ ${t('community.poll.anonymous')}`}
        {poll.closesAt && !poll.closed && ` · ${t('community.poll.closesAt', { time: formatDateTime(poll.closesAt) })}`}
      </p>
      <ul class="poll-options" role={poll.multiple ? 'group' : 'radiogroup'} aria-label={poll.question}>
        {poll.options.map((option) => {
          const share = total > 0 ? Math.round((option.votes / total) * 100) : 0;
          const on = chosen.includes(option.id);
          const toggle = () => {
            if (poll.closed || busy) return;
            if (!poll.multiple) return on ? undefined : vote([option.id]);
            setTicked(on ? chosen.filter((id) => id !== option.id) : [...chosen, option.id]);
          };
          return (
            <li key={option.id} class={on ? 'poll-option chosen' : 'poll-option'} data-option-id={option.id} data-votes={option.votes}>
              <button type="button" class="poll-choice" role={poll.multiple ? 'checkbox' : 'radio'} aria-checked={on} disabled={poll.closed} onClick={toggle}>
                <span class="poll-mark" aria-hidden="true">
                  {poll.multiple ? (on ? '☑' : '☐') : on ? '◉' : '○'}
                </span>
                <span class="poll-text">{option.text}</span>
                <span class="poll-tally">
                  {option.votes} · {share}%
                </span>
              </button>
              <span class="poll-bar" aria-hidden="true">
                <span class="poll-fill" style={{ width: `${share}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
      <p class="muted small poll-voters">{t('community.poll.voters', { count: poll.voters })}</p>
      <div class="card-actions">
        {poll.multiple && !poll.closed && changedTicks && (
          <button type="button" class="primary small poll-submit" disabled={busy} onClick={() => vote(chosen)}>
            {myVote.length > 0 ? t('community.poll.change') : t('community.poll.vote')}
          </button>
        )}
        {!poll.closed && myVote.length > 0 && !changedTicks && (
          <button type="button" class="ghost small poll-unvote" disabled={busy} onClick={() => vote([])}>
            {t('community.poll.takeBack')}
          </button>
        )}
        {canClose && (
          <button type="button" class="ghost small poll-close" disabled={busy} onClick={() => confirmFirst(t('community.poll.closeConfirm'), { confirmLabel: t('community.poll.close') }, () => run(() => community.closePoll(poll.id)))}>
            {t('community.poll.close')}
          </button>
        )}
      </div>
      <ErrorLine error={error} />
    </CardFrame>
  );
}
