/** Pending join requests of an approval room, live while open. */
import { useEffect } from 'preact/hooks';
import type { JoinRequest } from '../../../../../shared/schemas.ts';
import { t } from '../../i18n/index.ts';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { useLoader, type Run } from './actions.ts';

export function JoinRequestsSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const [requests, reload, error] = useLoader<JoinRequest[]>(() => store.client.rest.joinRequests(roomId));
  const decide = (id: string, verb: 'approve' | 'reject') =>
    void run(() => store.client.rest.decideJoinRequest(roomId, id, verb)).then(() => {
      reload();
      store.staff.refresh(roomId);
    });
  // Open: new requests appear as they come.
  useEffect(() => store.client.on('event', (name, payload) => name === 'join:requested' && (payload as { roomId?: string }).roomId === roomId && requests && reload()), [requests]);
  const waiting = store.staff.counts.get(roomId)?.joinRequests ?? 0;
  return (
    <Section title={`${t('panel.joinRequests')}${waiting > 0 ? ` (${waiting})` : ''}`} onOpen={reload}>
      <ErrorLine error={error} />
      {requests?.length === 0 && <p class="muted">{t('panel.noJoinRequests')}</p>}
      <ul class="plain-list">
        {(requests ?? []).map((r) => (
          <li key={r.id}>
            <strong>{r.user.displayName}</strong> <span class="muted">@{r.user.username}</span>
            {r.answer && <blockquote>{r.answer}</blockquote>}
            <button type="button" class="primary small" onClick={() => decide(r.id, 'approve')}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => decide(r.id, 'reject')}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}
