/** Shared set-up for the safety integration tests: rooms with members, policies, event recorders. */
import { expect } from 'vitest';
import type { Room } from '../../shared/schemas.ts';
import { listAuditEntries } from '../../server/store/audit.ts';
import { updateMember } from '../../server/store/members.ts';
import { call, connect, createRoom, signUp, type LiveClient, type TestUser } from '../helpers/clients.ts';
import type { TestServer } from '../helpers/server.ts';

export interface Group {
  room: Room;
  owner: TestUser;
  members: TestUser[];
}

/** A new room with an owner and `count` members who joined just now. */
export async function newGroup(server: TestServer, count: number, name = 'Safety room'): Promise<Group> {
  const owner = await signUp(server.url);
  const room = await createRoom(server.url, owner, { name });
  const members = await Promise.all(Array.from({ length: count }, () => signUp(server.url)));
  for (const member of members) {
    // With a body: the join route takes an optional answer for approval rooms.
    const reply = await call(server.url, 'POST', `/v1/rooms/${room.id}/join`, { token: member.token, body: {} });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }
  return { room, owner, members };
}

/**
 * Makes a member an admin. Appointing admins belongs to the moderation routes, which these
 * tests do not exercise; the role row is what the permission table reads.
 */
export async function makeAdmin(server: TestServer, roomId: string, user: TestUser): Promise<void> {
  expect(await updateMember(server.app.deps.db, roomId, user.id, { role: 'admin' })).toBe(true);
}

/** Sets the room's policy through the owner's PUT endpoint. */
export async function putPolicy(server: TestServer, owner: TestUser, roomId: string, policy: unknown): Promise<void> {
  const reply = await call(server.url, 'PUT', `/v1/rooms/${roomId}/safety`, { token: owner.token, body: policy });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

/** Rate limits and probation get in the way of tests about other rules. */
export const RELAXED = { rules: { rate: 'off' }, probationSeconds: 0 } as const;

/** A socket that also records the named events. */
export async function listen(server: TestServer, user: TestUser, events: string[]): Promise<LiveClient & { events: Record<string, any[]> }> {
  const client = await connect(server.url, user.token);
  const recorded: Record<string, any[]> = {};
  for (const event of events) {
    recorded[event] = [];
    client.socket.on(event, (payload: unknown) => recorded[event]!.push(payload));
  }
  return Object.assign(client, { events: recorded });
}

export async function history(server: TestServer, user: TestUser, roomId: string) {
  const reply = await call(server.url, 'GET', `/v1/rooms/${roomId}/messages?limit=100`, { token: user.token });
  expect(reply.status).toBe(200);
  return reply.body.messages as Array<Record<string, any>>;
}

export async function auditActions(server: TestServer, roomId: string): Promise<string[]> {
  const entries = await listAuditEntries(server.app.deps.db, roomId, { limit: 100 });
  return entries.map((entry) => entry.action);
}

export function reasonCodes(body: any): string[] {
  return (body?.error?.details?.reasons ?? []).map((r: { code: string }) => r.code);
}
