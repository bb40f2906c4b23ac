/** The static plugin on its own: a missing build gives a helpful page, never a crash or a shadowed API. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { webClientRoutes } from '../../server/transport/http/web.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-web-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function appServing(dir: string) {
  const app = Fastify();
  app.get('/v1/ping', async () => ({ ok: true }));
  await app.register(webClientRoutes(dir));
  return app;
}

describe('web client routes', () => {
  it('says the client is not built when dist is missing, on / and on client routes', async () => {
    const app = await appServing(path.join(tmp, 'missing'));
    for (const url of ['/', '/rooms/0b8e7c1e-8a40-4d3e-9d68-1f2a3b4c5d6e']) {
      const reply = await app.inject(url);
      expect(reply.statusCode).toBe(200);
      expect(reply.body).toContain('npm run build:web');
    }
    expect((await app.inject('/v1/ping')).json()).toEqual({ ok: true });
    expect((await app.inject('/v1/nothing')).statusCode).toBe(404);
    await app.close();
  });

  it('serves the built files, index.html for client routes, and 404 for missing assets and API paths', async () => {
    const dist = path.join(tmp, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    const app = await appServing(dist);
    const page = await app.inject('/invite/abcdef123');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await app.inject('/assets/index-abc.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/assets/other.js')).statusCode).toBe(404);
    expect((await app.inject('/docs/json')).statusCode).toBe(404);
    expect((await app.inject('/../package.json')).statusCode).not.toBe(200);
    await app.close();
  });
});
