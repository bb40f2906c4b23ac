import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, signUp, uniqueName, waitFor } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('accounts and sessions', () => {
  it('signs up, returns a token that works, and never stores the password or token in clear', async () => {
    const username = uniqueName();
    const reply = await call(server.url, 'POST', '/v1/users', { body: { username, password: 'hunter2hunter2', displayName: '  Ming  ' } });
    expect(reply.status).toBe(201);
    expect(reply.body.user).toMatchObject({ username, displayName: 'Ming', kind: 'user' });
    expect(reply.body.token).toMatch(/^qzs_/);

    const me = await call(server.url, 'GET', '/v1/me', { token: reply.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: reply.body.user, rooms: [] });

    const rows = await server.app.database.db.execute(sql`select u.password_hash, s.token_hash from users u join sessions s on s.user_id = u.id where u.username = ${username}`);
    const row = ((rows as any).rows ?? rows)[0];
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('hunter2');
    expect(row.token_hash).not.toBe(reply.body.token);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a taken username, bad fields and unknown fields, and creates nothing', async () => {
    const user = await signUp(server.url);
    const taken = await call(server.url, 'POST', '/v1/users', { body: { username: user.username, password: 'whatever123', displayName: 'X' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('USERNAME_TAKEN');

    for (const body of [
      { username: 'A!', password: 'whatever123', displayName: 'X' },
      { username: uniqueName(), password: 'short', displayName: 'X' },
      { username: uniqueName(), password: 12345678, displayName: 'X' },
      { username: uniqueName(), password: 'whatever123', displayName: 'X', admin: true },
      { username: uniqueName(), password: 'whatever123' },
    ]) {
      const reply = await call(server.url, 'POST', '/v1/users', { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect(reply.body.error.message).toEqual(expect.any(String));
      if (typeof body.username === 'string' && /^[a-z0-9_]{3,32}$/.test(body.username)) {
        const signIn = await call(server.url, 'POST', '/v1/sessions', { body: { username: body.username, password: 'whatever123' } });
        expect(signIn.status).toBe(401);
      }
    }
    const malformed = await call(server.url, 'POST', '/v1/users', { raw: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(malformed.body.error.details).toEqual({ field: 'body' });

    // Schema failures and the checks beyond the schema both say which field was wrong.
    const wrongType = await call(server.url, 'POST', '/v1/users', { body: { username: uniqueName(), password: 12345678, displayName: 'X' } });
    expect(wrongType.body.error.details).toEqual({ field: 'body.password' });
    const blankName = await call(server.url, 'POST', '/v1/users', { body: { username: uniqueName(), password: 'whatever123', displayName: '   ' } });
    expect(blankName.status).toBe(400);
    expect(blankName.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.displayName' } });
  });

  it('signs in with the right password only', async () => {
    const user = await signUp(server.url);
    const wrong = await call(server.url, 'POST', '/v1/sessions', { body: { username: user.username, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const unknown = await call(server.url, 'POST', '/v1/sessions', { body: { username: uniqueName(), password: 'not the password' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
    const right = await call(server.url, 'POST', '/v1/sessions', { body: { username: user.username, password: 'correct horse battery' } });
    expect(right.status).toBe(200);
    expect(right.body.user.id).toBe(user.id);
    expect(right.body.token).not.toBe(user.token);
  });

  it('rejects missing, malformed and unknown tokens with UNAUTHENTICATED', async () => {
    for (const token of [undefined, 'nonsense', 'qzs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const reply = await call(server.url, 'GET', '/v1/me', { token });
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('signing out revokes the token at once and disconnects its sockets, but not other sessions', async () => {
    const user = await signUp(server.url);
    const second = await call(server.url, 'POST', '/v1/sessions', { body: { username: user.username, password: 'correct horse battery' } });
    const doomed = await connect(server.url, user.token);
    const survivor = await connect(server.url, second.body.token);
    let disconnectReason = '';
    doomed.socket.on('disconnect', (reason) => (disconnectReason = reason));

    const out = await call(server.url, 'DELETE', '/v1/sessions/current', { token: user.token });
    expect(out.status).toBe(204);
    expect((await call(server.url, 'GET', '/v1/me', { token: user.token })).status).toBe(401);
    await waitFor(() => disconnectReason !== '', 3000, 'revoked socket to be disconnected');
    expect(disconnectReason).toBe('io server disconnect');
    expect(survivor.socket.connected).toBe(true);
    expect((await call(server.url, 'GET', '/v1/me', { token: second.body.token })).status).toBe(200);
    survivor.close();
  });
});

describe('service endpoints', () => {
  it('answers health, readiness and the OpenAPI document', async () => {
    expect((await call(server.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await call(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
    const openapi = await call(server.url, 'GET', '/docs/json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/users', '/v1/sessions', '/v1/me', '/v1/rooms', '/v1/rooms/{roomId}/messages', '/v1/rooms/{roomId}/join']),
    );
    const unknown = await call(server.url, 'GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });
});
