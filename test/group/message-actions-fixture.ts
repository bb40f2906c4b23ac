/** Shared set-up for the message-action tests: a room with an owner, an admin and members. */
import { and, eq, sql } from 'drizzle-orm';
import { roomMembers, rooms } from '../../drizzle/schema.ts';
import type { Room } from '../../shared/schemas.ts';
import { call, createRoom, postMessage, signUp, type LiveClient, type TestUser } from '../helpers/clients.ts';
import type { TestServer } from '../helpers/server.ts';

export interface GroupFixture {
  room: Room;
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  other: TestUser;
  outsider: TestUser;
}

export async function setUpGroup(server: TestServer, name = 'Hiking club'): Promise<GroupFixture> {
  const [owner, admin, member, other, outsider] = await Promise.all([1, 2, 3, 4, 5].map(() => signUp(server.url)));
  const room = await createRoom(server.url, owner!, { name });
  for (const user of [admin!, member!, other!]) await join(server, user, room.id);
  await makeAdmin(server, room.id, admin!.id);
  // An established group: members joined a while ago, so the safety pipeline's probation for
  // newcomers (which holds their @mentions and links for review) does not apply.
  await server.app.database.db
    .update(roomMembers)
    .set({ joinedAt: sql`${roomMembers.joinedAt} - interval '30 days'` })
    .where(eq(roomMembers.roomId, room.id));
  return { room, owner: owner!, admin: admin!, member: member!, other: other!, outsider: outsider! };
}

/** Joins an open room. (Sends an empty body: the join route accepts an optional join answer.) */
export async function join(server: TestServer, user: TestUser, roomId: string): Promise<void> {
  const reply = await call(server.url, 'POST', `/v1/rooms/${roomId}/join`, { token: user.token, body: {} });
  if (reply.status !== 200) throw new Error(`join failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/**
 * The roles API is not there yet: appoint the admin directly in the test database
 * (test-only shortcut; replace with the appoint endpoint once it exists).
 */
export async function makeAdmin(server: TestServer, roomId: string, userId: string): Promise<void> {
  await server.app.database.db
    .update(roomMembers)
    .set({ role: 'admin' })
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)));
}

/**
 * Sends a message over HTTP and returns its seq. The safety pipeline rate-limits members (about
 * 8 quick messages), so tests that need many messages send them as the owner (exempt).
 */
export async function say(server: TestServer, user: TestUser, roomId: string, text: string): Promise<number> {
  const reply = await postMessage(server.url, user, roomId, text);
  if (reply.status !== 201) throw new Error(`send failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.message.seq;
}

/** Every payload of `event` the socket receives from now on. */
export function record<T = any>(client: LiveClient, event: string): T[] {
  const seen: T[] = [];
  client.socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export async function lastChangeOf(server: TestServer, roomId: string): Promise<number> {
  const rows = await server.app.database.db.select({ lastChange: rooms.lastChange }).from(rooms).where(eq(rooms.id, roomId));
  return rows[0]!.lastChange;
}

export async function historyOf(server: TestServer, user: TestUser, roomId: string): Promise<any[]> {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=100`, { token: user.token });
  if (reply.status !== 200) throw new Error(`history failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.messages;
}
