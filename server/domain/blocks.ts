/**
 * Blocking a person: from then on their messages are hidden from the blocker everywhere —
 * history and sync leave them out (store/messages.ts), unread counts skip them
 * (store/read-state.ts), live delivery skips the blocker's sockets on every gateway (the
 * blockers channel, transport/socket/typed-socket.ts) — and they can neither DM the blocker nor
 * send a message request (dm-consent.ts). The blocked person is not told: their sends succeed
 * in group rooms as before, and a refused DM says no more than "DMs off" would.
 */
import { AppError } from '../errors.ts';
import { blockedIdsOf, deleteBlock, insertBlock, listBlocks } from '../store/blocks.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';

export async function blockUser(deps: DomainDeps, principal: Principal, userId: string): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot block yourself');
  if (!(await findUserById(deps.db, userId))) throw new AppError('USER_NOT_FOUND');
  await insertBlock(deps.db, principal.userId, userId);
  // Also when it was there already: a socket that missed the first notice catches up.
  await deps.live.hideSender(principal.userId, userId);
}

export async function unblockUser(deps: DomainDeps, principal: Principal, userId: string): Promise<void> {
  if (userId === principal.userId) throw new AppError('CANNOT_TARGET_SELF', 'You cannot block yourself');
  if (!(await findUserById(deps.db, userId))) throw new AppError('USER_NOT_FOUND');
  await deleteBlock(deps.db, principal.userId, userId);
  await deps.live.showSender(principal.userId, userId);
}

export function blocksOf(deps: DomainDeps, principal: Principal) {
  return listBlocks(deps.db, principal.userId);
}

/** Whose messages a new socket of this user must not be sent. */
export function hiddenSendersOf(deps: DomainDeps, userId: string): Promise<string[]> {
  return blockedIdsOf(deps.db, userId);
}
