/**
 * The group QR code (群二维码): an invite link as a picture to scan with a phone. It says nothing the
 * link does not, so whoever holds the code may fetch it; it stops working when the invite does
 * (expired, used up, revoked), like the link.
 */
import QRCode from 'qrcode';
import { AppError } from '../errors.ts';
import { findInviteByCode } from '../store/invites.ts';
import type { DomainDeps } from './deps.ts';
import { isUsableInvite } from './joining.ts';

/** Pixels per QR module: a 33-module code (a typical link) comes out near 300 px, easy to scan from a screen. */
const MODULE_PIXELS = 8;

/** The PNG of `origin`/invite/`code`, the web client's address for accepting an invite. */
export async function renderInviteQr(deps: DomainDeps, code: string, origin: string): Promise<Buffer> {
  const invite = await findInviteByCode(deps.db, code);
  if (!isUsableInvite(invite, new Date())) throw new AppError('INVITE_INVALID');
  return QRCode.toBuffer(`${origin}/invite/${encodeURIComponent(code)}`, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: MODULE_PIXELS });
}
