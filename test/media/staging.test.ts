/**
 * Staging writes an upload in batches (server/media/staging.ts): whatever the chunks look like,
 * the staged file is the bytes in order, the hash and size are theirs, and a source that fails
 * partway leaves no file behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGING_WRITE_BYTES, StagingDir } from '../../server/media/staging.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quanzi-staging-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('staging', () => {
  it('keeps the bytes in order across batches, from chunks of every size, with their sha256 and size', async () => {
    const chunks = [1, 7, 65_536, STAGING_WRITE_BYTES - 3, STAGING_WRITE_BYTES, 3 * STAGING_WRITE_BYTES + 11, 2, 100_000].map((n) => randomBytes(n));
    const whole = Buffer.concat(chunks);
    const staging = new StagingDir(path.join(dir, 'a'));
    // Slowly, as a phone sends: every chunk on its own turn of the event loop.
    const source = Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          await new Promise((resolve) => setImmediate(resolve));
          yield chunk;
        }
      })(),
      { objectMode: false },
    );
    const staged = await staging.write(source);
    expect(staged.size).toBe(whole.length);
    expect(staged.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    expect((await readFile(staged.path)).equals(whole)).toBe(true);
  });

  it('stages an empty upload as an empty file', async () => {
    const staged = await new StagingDir(path.join(dir, 'b')).write(Readable.from([], { objectMode: false }));
    expect(staged.size).toBe(0);
    expect((await readFile(staged.path)).length).toBe(0);
  });

  it('removes what it wrote when the source fails after several batches', async () => {
    const staging = new StagingDir(path.join(dir, 'c'));
    const source = Readable.from(
      (async function* () {
        for (let i = 0; i < 5; i++) yield randomBytes(STAGING_WRITE_BYTES);
        throw new Error('the client went away');
      })(),
      { objectMode: false },
    );
    await expect(staging.write(source)).rejects.toThrow('the client went away');
    expect(await readdir(path.join(dir, 'c'))).toEqual([]);
  });
});
