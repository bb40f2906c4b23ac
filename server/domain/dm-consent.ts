/**
 * Who may write to whom directly. A recipient who blocked the sender, or takes no DMs at all,
 * refuses with one answer (DM_NOT_ALLOWED) so the sender cannot tell which. Otherwise their
 * `dmsFrom` says whether the sender writes straight into a DM room or sends a message request:
 * 'anyone' → direct; 'room-members' → direct for people sharing a group room, and contacts;
 * 'contacts' → direct only where a DM room exists already (a request once accepted makes one).
 */
import { AppError } from '../errors.ts';
import { blocksBetween } from '../store/blocks.ts';
import { findDmRoom, peerOf, shareAGroupRoom } from '../store/dm-rooms.ts';
import { findProfile, type ProfileRecord } from '../store/profiles.ts';
import type { Room } from '../../shared/schemas.ts';
import type { DomainDeps } from './deps.ts';

export type Consent = { way: 'direct'; room: Room | null; recipient: ProfileRecord } | { way: 'request'; recipient: ProfileRecord };

export async function consentFor(deps: DomainDeps, senderId: string, recipientId: string): Promise<Consent> {
  if (senderId === recipientId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot message yourself');
  const recipient = await findProfile(deps.db, recipientId);
  if (!recipient || recipient.deletedAt || recipient.kind !== 'user') throw new AppError('USER_NOT_FOUND');
  await ensureNotRefused(deps, senderId, recipient);
  const room = await findDmRoom(deps.db, senderId, recipientId);
  if (room || recipient.dmsFrom === 'anyone') return { way: 'direct', room, recipient };
  if (recipient.dmsFrom === 'room-members' && (await shareAGroupRoom(deps.db, senderId, recipientId))) return { way: 'direct', room: null, recipient };
  return { way: 'request', recipient };
}

/** The send path's check for a message into a DM room (socket or HTTP, like any room message). */
export async function ensureDmOpen(deps: DomainDeps, senderId: string, roomId: string): Promise<void> {
  const peerId = await peerOf(deps.db, roomId, senderId);
  const peer = peerId ? await findProfile(deps.db, peerId) : null;
  // The other person deleted their account: nobody is there to read it.
  if (!peer || peer.deletedAt) throw new AppError('DM_NOT_ALLOWED');
  await ensureNotRefused(deps, senderId, peer);
}

async function ensureNotRefused(deps: DomainDeps, senderId: string, recipient: ProfileRecord): Promise<void> {
  const { aBlockedB: senderBlocked, bBlockedA: recipientBlocked } = await blocksBetween(deps.db, senderId, recipient.id);
  if (recipientBlocked || recipient.dmsFrom === 'nobody') throw new AppError('DM_NOT_ALLOWED');
  if (senderBlocked) throw new AppError('YOU_BLOCKED_USER', undefined, { userId: recipient.id });
}
