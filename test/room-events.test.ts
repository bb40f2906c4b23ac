/**
 * The outlet's promise that an action and its record commit or fail together: when the audit row
 * cannot be written, the mute it records is not applied either, nothing is announced, and the
 * member may still speak. Driven through HTTP and Socket.IO; the failure is a database trigger
 * that refuses the audit row.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, sleep, uniqueName } from './helpers/clients.ts';
import { castRoom } from './helpers/rooms.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('room events commit with their records', () => {
  it('a mute whose audit row fails is not applied, announced or told', async () => {
    const db = server.app.database.db;
    const { room, owner, members } = await castRoom(server.url, { members: 1 });
    const member = members[0]!;
    const live = await connect(server.url, member.token);
    const notices: string[] = [];
    live.socket.on('member:muted', () => notices.push('muted'));
    try {
      expect((await live.send({ roomId: room.id, text: 'before', clientMsgId: uniqueName() })).ok).toBe(true);
      const seen = live.received.length;
      await db.execute(sql.raw(`
        create function refuse_mute_audit() returns trigger language plpgsql as $$
        begin
          if new.action = 'member.mute' then raise exception 'audit refused for the test'; end if;
          return new;
        end $$;
        create trigger refuse_mute_audit before insert on audit_log for each row execute function refuse_mute_audit();`));
      try {
        const mute = await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${member.id}/mute`, { token: owner.token, body: { durationSeconds: 600 } });
        expect(mute.status).toBe(500);
        expect(mute.body.error.code).toBe('INTERNAL');
      } finally {
        await db.execute(sql.raw('drop trigger refuse_mute_audit on audit_log; drop function refuse_mute_audit();'));
      }

      const memberList = await call(server.url, 'GET', `/v1/rooms/${room.id}/members`, { token: owner.token });
      expect(memberList.body.members.find((m: any) => m.user.id === member.id).mutedUntil).toBeNull();
      await sleep(200);
      expect(notices).toEqual([]);
      expect(live.received.slice(seen).filter((m) => m.kind === 'system')).toEqual([]);
      expect((await live.send({ roomId: room.id, text: 'still free to speak', clientMsgId: uniqueName() })).ok).toBe(true);
      const audit = await call(server.url, 'GET', `/v1/rooms/${room.id}/audit`, { token: owner.token });
      expect(audit.body.entries.map((e: any) => e.action)).not.toContain('member.mute');

      // With the audit working again, the same mute goes through whole.
      expect((await call(server.url, 'POST', `/v1/rooms/${room.id}/members/${member.id}/mute`, { token: owner.token, body: { durationSeconds: 600 } })).status).toBe(200);
      expect((await live.send({ roomId: room.id, text: 'now?', clientMsgId: uniqueName() })).error.code).toBe('MUTED');
      expect(notices).toEqual(['muted']);
    } finally {
      live.close();
    }
  });
});
