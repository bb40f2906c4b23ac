/** Names of the Socket.IO rooms a connection is placed in. */
export const roomChannel = (roomId: string): string => `room:${roomId}`;
export const userChannel = (userId: string): string => `user:${userId}`;
export const sessionChannel = (sessionId: string): string => `session:${sessionId}`;
/** The sockets of everyone who blocked this user: a message from them is not emitted to these. */
export const blockersChannel = (blockedUserId: string): string => `blockers:${blockedUserId}`;

export function roomIdOfChannel(channel: string): string | null {
  return channel.startsWith('room:') ? channel.slice(5) : null;
}
