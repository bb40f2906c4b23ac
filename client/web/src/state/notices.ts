/**
 * Why I lost a room while this page was open (`room:removed`: kicked, banned, the room
 * dissolved), shown until dismissed and rendered in the current language when shown. Pure: each
 * function takes the list and returns the new one.
 */

export type RemovalReason = 'kicked' | 'banned' | 'dissolved';

export interface Notice {
  id: number;
  kind: RemovalReason;
  roomId: string;
  roomName: string;
}

/** A reason a newer server adds reads as the plainest one. */
export function removalReason(reason: string | undefined): RemovalReason {
  return reason === 'banned' || reason === 'dissolved' ? reason : 'kicked';
}

/** One notice per room, the newest last: a second removal from the same room replaces the first. */
export function addNotice(notices: readonly Notice[], notice: Notice): Notice[] {
  return [...notices.filter((n) => n.roomId !== notice.roomId), notice];
}

export function dismissNotice(notices: readonly Notice[], id: number): Notice[] {
  return notices.filter((n) => n.id !== id);
}

/** Back in the room (joined again): its notice no longer applies. */
export function clearRoom(notices: readonly Notice[], roomId: string): Notice[] {
  return notices.filter((n) => n.roomId !== roomId);
}
