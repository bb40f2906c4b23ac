/**
 * The group QR code (群二维码) of an invite link, for a phone to scan. The image needs no token:
 * its address carries the invite code, the same credential the link itself is (docs/protocol.md,
 * "Joining"), so a plain <img> loads it and no token ever goes into a URL. It stops answering
 * when the invite expires, runs out or is revoked, and then says so.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

export function inviteLink(code: string): string {
  return `${location.origin}/invite/${code}`;
}

export function InviteQr({ code, roomName }: { code: string; roomName: string }) {
  const [broken, setBroken] = useState(false);
  return (
    <figure class="invite-qr">
      {broken ? (
        <p class="muted small" role="status">
          {t('invite.qrGone')}
        </p>
      ) : (
        <img src={`/v1/invites/${encodeURIComponent(code)}/qr.png`} width={180} height={180} alt={t('invite.qrAlt', { name: roomName })} onError={() => setBroken(true)} />
      )}
      <figcaption class="muted small">{t('invite.qrCaption')}</figcaption>
    </figure>
  );
}
