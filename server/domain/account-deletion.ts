/**
 * Deleting one's own account (注销账号). The person proves it is them with their password; an owner
 * must first hand over or dissolve their rooms, as WeChat asks of a group owner. Then, in one
 * transaction: every session is revoked, the user leaves every room (without a notice: the member
 * list simply drops them, as in WeChat), their bots are retired with them, and the user row
 * becomes a tombstone — no password, the name "deleted user" — so their messages stay in the
 * rooms' history under that name. The username stays taken: freeing it would let someone else
 * post as an old author. Attachments follow the messages: what they sent stays in the rooms (as
 * in WeChat and Telegram, a deleted account's posts remain), what they uploaded and never sent
 * is removed and its files deleted unless shared.
 */
import type { DeleteAccountBody } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { removeUnsentOf } from '../store/attachments.ts';
import { listBotsOwnedBy, retireBots } from '../store/bots.ts';
import { deletePendingHeldOf } from '../store/held-messages.ts';
import { deletePendingRequestsOf } from '../store/join-requests.ts';
import { deleteMembershipsOfUsers, listRoomIdsOfUser } from '../store/members.ts';
import { adjustMemberCount, lockRoomsInOrder, roomIdsOwnedBy } from '../store/rooms.ts';
import { deleteScheduledPostsBy } from '../store/scheduled-posts.ts';
import { deleteSessionsOfUsers } from '../store/sessions.ts';
import { findUserById, findUserForUpdate, markUsersDeleted } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { releaseRemovedRows } from './media-release.ts';
import { verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { announce, record, type RoomEvent } from './room-events.ts';

/** What a deleted person's messages show as sender; clients that know `sender.deleted` say it in their own language. */
export const DELETED_USER_NAME = 'deleted user';

function ownerMustTransfer(roomIds: string[]): AppError {
  return new AppError('OWNER_MUST_TRANSFER', undefined, { roomIds });
}

export async function deleteAccount(deps: DomainDeps, principal: Principal, input: DeleteAccountBody): Promise<void> {
  if (principal.kind === 'bot') throw new AppError('FORBIDDEN', 'Only a person can delete their account, not a bot', { principal: 'bot' });
  const user = await findUserById(deps.db, principal.userId);
  if (!user || user.deletedAt || !user.passwordHash) throw new AppError('UNAUTHENTICATED');
  // Checked before anything else and outside the transaction: scrypt takes a while, and no row
  // should stay locked meanwhile.
  if (!(await verifyPassword(input.password, user.passwordHash))) throw new AppError('INVALID_CREDENTIALS');
  const owned = await roomIdsOwnedBy(deps.db, principal.userId);
  if (owned.length > 0) throw ownerMustTransfer(owned);

  const botIds = (await listBotsOwnedBy(deps.db, principal.userId)).map((bot) => bot.id);
  const accountIds = [principal.userId, ...botIds];
  const now = new Date();
  const { recorded, unsent } = await deps.db.transaction(async (tx) => {
    const locked = await findUserForUpdate(tx, principal.userId);
    if (!locked || locked.deletedAt) throw new AppError('UNAUTHENTICATED');
    const memberOf = new Set((await Promise.all(accountIds.map((id) => listRoomIdsOfUser(tx, id)))).flat());
    await lockRoomsInOrder(tx, [...memberOf]);
    const memberships = await deleteMembershipsOfUsers(tx, accountIds);
    // A transfer to this user could have committed after the check above; the deletion must not
    // leave a room without its owner, so it gives up (and the transaction undoes it all).
    const nowOwned = memberships.filter((m) => m.role === 'owner').map((m) => m.roomId);
    if (nowOwned.length > 0) throw ownerMustTransfer(nowOwned);
    const leftPerRoom = new Map<string, number>();
    for (const m of memberships) leftPerRoom.set(m.roomId, (leftPerRoom.get(m.roomId) ?? 0) + 1);
    for (const [roomId, count] of leftPerRoom) await adjustMemberCount(tx, roomId, -count);

    await deleteSessionsOfUsers(tx, [principal.userId]);
    await retireBots(tx, botIds, now);
    await deleteScheduledPostsBy(tx, accountIds);
    await deletePendingRequestsOf(tx, [principal.userId]);
    await deletePendingHeldOf(tx, accountIds);
    // What they uploaded but never sent goes; what they sent stays with their messages.
    const unsent = await removeUnsentOf(tx, accountIds, now);
    // Bots keep their names: their old messages still say which bot posted them.
    await markUsersDeleted(tx, botIds, now);
    await markUsersDeleted(tx, [principal.userId], now, DELETED_USER_NAME);
    const recorded = await record(tx, memberships.map((m): RoomEvent => ({ kind: 'account.deleted', roomId: m.roomId, userId: m.userId })));
    return { recorded, unsent };
  });

  // After the commit, on every gateway: sockets closed, remembered sessions, memberships and
  // speaking facts forgotten, before the answer goes out.
  await Promise.all(accountIds.map((id) => deps.live.disconnectUser(id)));
  await announce(deps, recorded);
  if (botIds.length > 0) await deps.live.forgetBotListeners(null);
  // After the commit and after the answer's work: a failure here leaves rows the media sweep releases.
  await releaseRemovedRows(deps, unsent, now).catch((err: unknown) => deps.log.warn({ err, userId: principal.userId }, 'releasing the unsent uploads of a deleted account failed; the media sweep will'));
  deps.log.info({ userId: principal.userId, rooms: recorded.events.length, bots: botIds.length }, 'account deleted');
}
