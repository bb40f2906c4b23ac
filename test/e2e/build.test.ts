/**
 * The production build, in a fresh copy of the sources (so it neither races the other tests for
 * client/web/dist nor leaves anything in this checkout): `npm run build && npm start` serves the
 * compiled server and the web client, SIGTERM sent to npm drains it, and after a source changes
 * `npm start` compiles again rather than run the stale build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, MULTI_GATEWAY_DATABASE_URL, type TestDatabase } from '../helpers/env.ts';
import { spawnGateway, type GatewayProcess } from '../helpers/process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COPIED = ['server', 'shared', 'drizzle', 'client', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

let checkout: string;
let database: TestDatabase;
const env = () => ({ HOME: os.homedir(), DATABASE_URL: database.url, LOG_LEVEL: 'info' });
const npmStart = () => spawnGateway(env(), 180_000, { command: 'npm', args: ['start'], cwd: checkout });
const readyLine = (gateway: GatewayProcess) => JSON.parse(gateway.output().split('\n').find((line) => line.includes('"Quanzi is ready on'))!) as { runs: string };

beforeAll(async () => {
  checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzi-build-'));
  for (const entry of COPIED) {
    fs.cpSync(path.join(ROOT, entry), path.join(checkout, entry), { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.startsWith(path.join(ROOT, 'client', 'web', 'dist')) });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  database = await createTestDatabase(MULTI_GATEWAY_DATABASE_URL);
});

afterAll(async () => {
  await database?.drop();
  if (checkout) fs.rmSync(checkout, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('compiles the server and the web client; npm start then serves both from the build and drains on SIGTERM', async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: checkout, env: { PATH: process.env.PATH ?? '', HOME: os.homedir() }, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(fs.existsSync(path.join(checkout, 'dist/server/main.js'))).toBe(true);
    expect(fs.existsSync(path.join(checkout, 'client/web/dist/index.html'))).toBe(true);

    const gateway = await npmStart();
    let exitCode: number | null;
    try {
      expect(readyLine(gateway).runs).toBe('compiled');
      expect(gateway.output()).not.toContain('Compiling the server');
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
      const page = await (await fetch(`${gateway.url}/`)).text();
      const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      expect(script, page).toBeDefined();
      const asset = await fetch(`${gateway.url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
    } finally {
      // To npm, as a process manager would: it passes the signal on to the server, which drains.
      exitCode = await gateway.stop('SIGTERM');
    }
    expect(exitCode).toBe(0);
    expect(gateway.output()).toContain('"msg":"stopped cleanly"');
  }, 240_000);

  it('after a source changes, npm start compiles again instead of running the stale build', async () => {
    fs.appendFileSync(path.join(checkout, 'server/main.ts'), "\napp.fastify.log.info('serving a build of the edited sources');\n");
    const gateway = await npmStart();
    try {
      expect(gateway.output()).toContain('Compiling the server (the sources changed since the last build');
      expect(readyLine(gateway).runs).toBe('compiled');
      await expect.poll(() => gateway.output()).toContain('serving a build of the edited sources');
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    } finally {
      expect(await gateway.stop('SIGTERM')).toBe(0);
    }
  }, 240_000);
});
