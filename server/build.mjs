/**
 * `npm run build:server`: compiles server/, shared/ and drizzle/schema.ts to dist/ with
 * tsconfig.build.json, then stamps the build with a hash of what it was compiled from, so that
 * `npm start` (server/start.mjs) can tell a build of the sources as they are from a stale one.
 *
 * Plain JavaScript, because it has to run before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const COMPILED_MAIN = path.join(DIST, 'server', 'main.js');
const STAMP = path.join(DIST, '.source-hash');

/** Everything the emitted JavaScript depends on besides TypeScript itself. */
const INPUTS = ['server', 'shared', 'drizzle/schema.ts', 'tsconfig.json', 'tsconfig.build.json'];

/**
 * A content hash rather than modification times: a checkout, a stash or a copy that keeps old
 * times can change a file without making it newer than the build. Hashing the sources takes a few
 * milliseconds.
 */
export function sourceHash() {
  const hash = createHash('sha256');
  const add = (relative) => {
    const file = path.join(ROOT, relative);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(file).sort()) add(path.join(relative, entry));
    } else {
      hash.update(`${relative}\0${stat.size}\0`);
      hash.update(fs.readFileSync(file));
    }
  };
  for (const input of INPUTS) add(input);
  hash.update(`typescript ${typescriptVersion() ?? 'absent'}`);
  return hash.digest('hex');
}

function typescriptVersion() {
  try {
    return createRequire(import.meta.url)('typescript/package.json').version;
  } catch {
    return null;
  }
}

/** Whether dist/ holds a build of the sources exactly as they are now. */
export function buildIsCurrent() {
  if (!fs.existsSync(COMPILED_MAIN) || !fs.existsSync(STAMP)) return false;
  return fs.readFileSync(STAMP, 'utf8').trim() === sourceHash();
}

/** TypeScript is a devDependency: an install with --omit=dev runs builds but cannot make them. */
export function canBuild() {
  return typescriptVersion() !== null;
}

/**
 * `typeCheck: false` emits the same JavaScript without checking types (tsc --noCheck): a third of
 * the time, for `npm start` after an edit, which runs what tsx would have run. `npm run build` and
 * `npm test` check them.
 */
export function buildServer({ typeCheck = true } = {}) {
  // The hash of the sources the compiler is about to read: one edited during the build makes the
  // stamp stale, so the next start builds again rather than trusting a mixed build.
  const hash = sourceHash();
  fs.rmSync(STAMP, { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), ...(typeCheck ? [] : ['--noCheck'])];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`compiling the server failed (tsc exited with ${result.status ?? result.signal})`);
  fs.writeFileSync(STAMP, `${hash}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    buildServer();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
