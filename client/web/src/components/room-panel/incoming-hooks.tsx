/** Incoming webhooks: a secret URL that posts into the room (docs/bots.md). */
import { useEffect, useState } from 'preact/hooks';
import type { IncomingWebhook } from '../../../../../shared/schemas.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { useLoader, type Run } from './actions.ts';
import { OnceSecret } from './once-secret.tsx';

export function IncomingHooks({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [hooks, reload, error] = useLoader<IncomingWebhook[]>(() => rest.incomingWebhooks(roomId));
  useEffect(reload, [roomId]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  return (
    <fieldset class="incoming-hooks">
      <legend>{t('bots.incoming')}</legend>
      <p class="muted small">{t('bots.incomingIntro')}</p>
      <ErrorLine error={error} />
      {created && <OnceSecret label={t('bots.hookUrl')} value={created} onDone={() => setCreated(null)} />}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const answer = await rest.createIncomingWebhook(roomId, { name: name.trim() });
            setCreated(location.origin + answer.url);
            setName('');
          }).then(reload);
        }}
      >
        <input aria-label={t('bots.hookName')} placeholder={t('bots.hookName')} required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="small" disabled={!name.trim()}>
          {t('bots.createHook')}
        </button>
      </form>
      <ul class="plain-list">
        {(hooks ?? [])
          .filter((h) => !h.revokedAt)
          .map((h) => (
            <li key={h.id} class="small">
              <strong>{h.name}</strong> <span class="muted">{formatDateTime(h.createdAt)}</span>
              <button type="button" class="small danger" onClick={() => confirmFirst(t('bots.revokeHookConfirm', { name: h.name }), { confirmLabel: t('panel.revoke'), danger: true }, () => run(() => rest.revokeIncomingWebhook(roomId, h.id)).then(reload))}>
                {t('panel.revoke')}
              </button>
            </li>
          ))}
      </ul>
    </fieldset>
  );
}
