/**
 * Do-not-disturb per room (消息免打扰). The setting changes what alerts, never what is counted:
 * `unread` in GET /v1/me stays the true number, `badge` follows the mode, and `unreadMentions`
 * leaves out @all when the mode is 'none' (store/read-state.ts does the counting).
 */
import type { NotificationMode } from '../../shared/people.ts';
import { AppError } from '../errors.ts';
import { setNotificationMode } from '../store/notifications.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { commit } from './room-events.ts';
import { requireMembership } from './rooms.ts';

export async function setNotifications(deps: DomainDeps, principal: Principal, roomId: string, mode: NotificationMode): Promise<{ roomId: string; mode: NotificationMode }> {
  await requireMembership(deps.db, principal, roomId);
  return commit(deps, async (tx) => {
    // Left meanwhile: the same answer as before the check.
    if (!(await setNotificationMode(tx, roomId, principal.userId, mode))) throw new AppError('NOT_A_MEMBER');
    return { events: { kind: 'member.notifications', roomId, userId: principal.userId, mode }, value: { roomId, mode } };
  });
}
