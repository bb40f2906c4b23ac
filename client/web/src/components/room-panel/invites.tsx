/** Invite links: made by the staff (or members, when the room lets them), copied, revoked. */
import { useState } from 'preact/hooks';
import type { Invite } from '../../../../../shared/schemas.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { useLoader, type Run } from './actions.ts';
import { InviteQr, inviteLink } from './invite-qr.tsx';

export function InvitesSection({ roomId, staff, run }: { roomId: string; staff: boolean; run: Run }) {
  const store = useStore();
  const [invites, reload, error] = useLoader<Invite[]>(() => store.client.rest.invites(roomId));
  const [copied, setCopied] = useState<string | null>(null);
  const [qrFor, setQrFor] = useState<string | null>(null);
  const link = inviteLink;
  const roomName = store.rooms.get(roomId)?.room.name ?? '';
  return (
    <Section title={t('panel.invites')} onOpen={reload}>
      <ErrorLine error={error} />
      <button type="button" onClick={() => void run(() => store.client.rest.createInvite(roomId, { expiresInSeconds: 7 * 86_400 })).then(reload)}>
        {t('panel.createInvite')}
      </button>
      <ul class="plain-list">
        {(invites ?? [])
          .filter((i) => !i.revokedAt)
          .map((i) => (
            <li key={i.id}>
              <code class="invite-link">{link(i.code)}</code>
              <span class="muted small">
                {' '}
                {t('panel.uses', { uses: i.uses })}
                {i.expiresAt && ` · ${t('panel.expires', { time: formatDateTime(i.expiresAt) })}`}
              </span>
              <button
                type="button"
                class="small"
                onClick={() => void navigator.clipboard?.writeText(link(i.code)).then(() => setCopied(i.id), () => {})}
              >
                {copied === i.id ? t('panel.copied') : t('panel.copy')}
              </button>
              <button type="button" class="small" aria-expanded={qrFor === i.id} onClick={() => setQrFor(qrFor === i.id ? null : i.id)}>
                {t('invite.qr')}
              </button>
              {staff && (
                <button type="button" class="small" onClick={() => void run(() => store.client.rest.revokeInvite(roomId, i.id)).then(reload)}>
                  {t('panel.revoke')}
                </button>
              )}
              {qrFor === i.id && <InviteQr code={i.code} roomName={roomName} />}
            </li>
          ))}
      </ul>
    </Section>
  );
}
