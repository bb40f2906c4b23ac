/** Fixtures for group tests: a room with an owner, admins and members, through the real API. */
import { call, createRoom, joinRoom, signUp, type TestUser } from './clients.ts';
import type { Room } from '../../shared/schemas.ts';

export interface Cast {
  room: Room;
  owner: TestUser;
  admins: TestUser[];
  members: TestUser[];
}

export async function makeAdmin(baseUrl: string, owner: TestUser, roomId: string, user: TestUser): Promise<void> {
  const reply = await call(baseUrl, 'PUT', `/v1/rooms/${roomId}/members/${user.id}/role`, { token: owner.token, body: { role: 'admin' } });
  if (reply.status !== 204) throw new Error(`appoint failed: ${reply.status} ${JSON.stringify(reply.body)}`);
}

export async function castRoom(baseUrl: string, counts: { admins?: number; members?: number } = {}, fields: Parameters<typeof createRoom>[2] = {}): Promise<Cast> {
  const owner = await signUp(baseUrl);
  const room = await createRoom(baseUrl, owner, fields);
  const admins: TestUser[] = [];
  const members: TestUser[] = [];
  for (let i = 0; i < (counts.admins ?? 0); i++) {
    const user = await signUp(baseUrl);
    await joinRoom(baseUrl, user, room.id);
    await makeAdmin(baseUrl, owner, room.id, user);
    admins.push(user);
  }
  for (let i = 0; i < (counts.members ?? 0); i++) {
    const user = await signUp(baseUrl);
    await joinRoom(baseUrl, user, room.id);
    members.push(user);
  }
  return { room, owner, admins, members };
}

export async function membersSnapshot(baseUrl: string, owner: TestUser, roomId: string): Promise<string> {
  const reply = await call(baseUrl, 'GET', `/v1/rooms/${roomId}/members`, { token: owner.token });
  return JSON.stringify(reply.body.members.map((m: any) => [m.user.id, m.role, m.mutedUntil]).sort());
}

/** A daily 打卡 challenge from today (in Asia/Shanghai) for 30 days, created by `user`: the call's answer. */
export async function startDailyChallenge(baseUrl: string, user: TestUser, roomId: string, title: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const endsOn = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  return call(baseUrl, 'POST', `/v1/rooms/${roomId}/challenges`, { token: user.token, body: { title, cadence: 'daily', startsOn: today, endsOn, timezone: 'Asia/Shanghai' } });
}
