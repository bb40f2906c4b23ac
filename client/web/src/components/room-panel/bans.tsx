/** The room's bans, to lift. */
import type { Ban } from '../../../../../shared/schemas.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { useLoader, type Run } from './actions.ts';

export function BansSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const [bans, reload, error] = useLoader<Ban[]>(() => store.client.rest.bans(roomId));
  return (
    <Section title={t('panel.bans')} onOpen={reload}>
      <ErrorLine error={error} />
      {bans?.length === 0 && <p class="muted">{t('panel.noBans')}</p>}
      <ul class="plain-list">
        {(bans ?? []).map((b) => (
          <li key={b.user.id}>
            <strong>{b.user.displayName}</strong> <span class="muted">@{b.user.username}</span>
            {b.reason && <span class="muted"> — {b.reason}</span>}
            {b.until && <span class="muted small"> ({formatDateTime(b.until)})</span>}
            <button type="button" class="small" onClick={() => void run(() => store.client.rest.unban(roomId, b.user.id)).then(reload)}>
              {t('panel.unban')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}
