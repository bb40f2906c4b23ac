/**
 * The S3 media driver against a real S3-protocol server (s3rver, started here): content keys,
 * dedupe (the same bytes are uploaded once), ranged reads, multipart for big files, and staging
 * that leaves nothing behind. Also the MEDIA_S3_* configuration it is built from.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { LocalStorage } from '../../server/media/local-storage.ts';
import { openMediaStorage } from '../../server/media/open-storage.ts';
import { PART_SIZE, S3Storage } from '../../server/media/s3-storage.ts';
import { putMedia } from '../../server/media/storage.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';

let s3: TestS3;
let storage: S3Storage;
let stagingDir: string;

beforeAll(async () => {
  s3 = await startTestS3();
  stagingDir = await mkdtemp(path.join(tmpdir(), 'quanzi-s3-staging-test-'));
  storage = await S3Storage.open(loadConfig(s3.env).mediaS3!, stagingDir, pino({ level: 'silent' }));
});
afterAll(async () => {
  await storage?.close();
  await s3?.close();
  await rm(stagingDir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const objectKey = (key: string) => `attachments/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
const staged = () => readdir(stagingDir);
const bytesOf = async (stream: Readable) => Buffer.concat(await stream.toArray());

describe('S3Storage', () => {
  it('keeps committed bytes under <prefix>/<aa>/<bb>/<sha256> and reads them back whole or by range', async () => {
    const content = `hello from S3 ${randomBytes(8).toString('hex')}`;
    const upload = await storage.stage(Readable.from([Buffer.from(content)]));
    expect(upload).toMatchObject({ sha256: sha256(content), size: content.length });
    expect(await text(upload.read())).toBe(content);
    const key = await upload.commit();
    expect(key).toBe(sha256(content));
    expect(s3.created).toContainEqual({ key: objectKey(key), how: 'Put' });
    expect(await storage.stat(key)).toEqual({ size: content.length });
    expect(await text(await storage.open(key))).toBe(content);
    expect(await text(await storage.open(key, { start: 6, end: 9 }))).toBe(content.slice(6, 10));
    expect(await staged()).toEqual([]);
  });

  it('uploads the same bytes once however often they are committed', async () => {
    const content = randomBytes(1000);
    const before = s3.created.length;
    const first = await putMedia(storage, Readable.from([content]));
    const again = await storage.stage(Readable.from([content.subarray(0, 400), content.subarray(400)]));
    expect(await again.commit()).toBe(first);
    expect(await putMedia(storage, Readable.from([content]))).toBe(first);
    expect(s3.created.slice(before)).toEqual([{ key: objectKey(first), how: 'Put' }]);
    expect(await staged()).toEqual([]);
  });

  it('sends a file bigger than one part in parts, and reads a range across the boundary', async () => {
    const content = randomBytes(PART_SIZE + 300_000);
    const key = await putMedia(storage, Readable.from([content]));
    expect(key).toBe(sha256(content));
    // s3rver reports a completed multipart upload as ObjectCreated:Post (a single PUT is :Put).
    expect(s3.created.at(-1)).toEqual({ key: objectKey(key), how: 'Post' });
    expect(await storage.stat(key)).toEqual({ size: content.length });
    const range = { start: PART_SIZE - 1000, end: PART_SIZE + 999 };
    expect((await bytesOf(await storage.open(key, range))).equals(content.subarray(range.start, range.end + 1))).toBe(true);
    expect(sha256(await bytesOf(await storage.open(key)))).toBe(key);
  });

  it('keeps nothing of an upload that is discarded, or whose source fails midway', async () => {
    const before = s3.created.length;
    const discarded = await storage.stage(Readable.from([randomBytes(500)]));
    expect(await staged()).toHaveLength(1);
    await discarded.discard();
    await discarded.discard();
    expect(await storage.stat(discarded.sha256)).toBeNull();

    const failing = Readable.from(
      (async function* () {
        yield randomBytes(100);
        throw new Error('client went away');
      })(),
    );
    await expect(storage.stage(failing)).rejects.toThrow('client went away');
    expect(await staged()).toEqual([]);
    expect(s3.created.length).toBe(before);
  });

  it('deletes an object (twice is harmless) and answers null for a key it does not hold', async () => {
    const key = await putMedia(storage, Readable.from([randomBytes(64)]));
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.stat(key)).toBeNull();
    await expect(storage.open(key)).rejects.toThrow();
    expect(await storage.stat(sha256('never stored'))).toBeNull();
  });

  it('lists every kept object under the prefix with its size and time, and nothing staged or foreign', async () => {
    const contents = [randomBytes(10), randomBytes(20), randomBytes(30)];
    const keys = await Promise.all(contents.map((bytes) => putMedia(storage, Readable.from([bytes]))));
    // Staged but not committed: not a kept file.
    const pending = await storage.stage(Readable.from([randomBytes(40)]));
    // Under the prefix but not a name this driver writes.
    const other = await S3Storage.open({ ...loadConfig(s3.env).mediaS3!, prefix: 'attachments/ab' }, stagingDir, pino({ level: 'silent' }));
    const foreign = await putMedia(other, Readable.from([randomBytes(5)]));
    await other.close();
    const listed = new Map<string, { size: number; modifiedAt: Date }>();
    const before = s3.requests.length;
    for await (const object of storage.list()) listed.set(object.key, object);
    for (const [i, key] of keys.entries()) {
      expect(listed.get(key)).toEqual({ key, size: contents[i]!.length, modifiedAt: expect.any(Date) });
      expect(Math.abs(listed.get(key)!.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    }
    expect(listed.has(pending.sha256)).toBe(false);
    expect(listed.has(foreign)).toBe(false);
    const pages = s3.requests.slice(before).filter((r) => r.includes('list-type=2') && r.includes('prefix=attachments%2F'));
    expect(pages).toHaveLength(1);
    await pending.discard();
  });

  it('refuses a key that is not a sha256 rather than build an object name from it', async () => {
    await expect(storage.stat('../../etc/passwd')).rejects.toThrow('not a media key');
  });
});

describe('choosing the driver', () => {
  it('opens S3 when MEDIA_S3_BUCKET is set, logging where to but never the secret, and the local directory otherwise', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const secret = 'a-secret-that-must-not-be-logged';
    const chosen = await openMediaStorage(loadConfig({ DATA_DIR: 'memory://', ...s3.env, MEDIA_S3_SECRET_ACCESS_KEY: secret }), log);
    try {
      expect(chosen).toBeInstanceOf(S3Storage);
      expect(lines.join('')).toContain(s3.bucket);
      expect(lines.join('')).not.toContain(secret);
    } finally {
      await chosen.close();
    }
    const local = await openMediaStorage(loadConfig({ DATA_DIR: 'memory://' }), log);
    expect(local).toBeInstanceOf(LocalStorage);
    await local.close();
  });
});

describe('MEDIA_S3_* configuration', () => {
  const full = { MEDIA_S3_BUCKET: 'media', MEDIA_S3_ACCESS_KEY_ID: 'id', MEDIA_S3_SECRET_ACCESS_KEY: 'very-secret-value' };
  const problemOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('is off without a bucket, and has its defaults with one', () => {
    expect(loadConfig({}).mediaS3).toBeNull();
    expect(loadConfig(full).mediaS3).toEqual({ bucket: 'media', endpoint: null, region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'very-secret-value', forcePathStyle: false, prefix: 'attachments' });
    expect(loadConfig({ ...full, MEDIA_S3_ENDPOINT: 'http://127.0.0.1:9000' }).mediaS3).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(loadConfig({ ...full, MEDIA_S3_ENDPOINT: 'https://x.r2.cloudflarestorage.com', MEDIA_S3_FORCE_PATH_STYLE: 'false', MEDIA_S3_REGION: 'auto', MEDIA_S3_PREFIX: 'chat/files' }).mediaS3).toMatchObject({
      forcePathStyle: false,
      region: 'auto',
      prefix: 'chat/files',
    });
  });

  it('refuses half a configuration, naming what is missing', () => {
    expect(problemOf({ MEDIA_S3_BUCKET: 'media' })).toMatch(/MEDIA_S3_ACCESS_KEY_ID must be set[\s\S]*MEDIA_S3_SECRET_ACCESS_KEY must be set/);
    expect(problemOf({ MEDIA_S3_BUCKET: 'media', MEDIA_S3_ACCESS_KEY_ID: 'id' })).toContain('MEDIA_S3_SECRET_ACCESS_KEY must be set');
    expect(problemOf({ MEDIA_S3_ACCESS_KEY_ID: 'id', MEDIA_S3_SECRET_ACCESS_KEY: 'very-secret-value' })).toContain('MEDIA_S3_BUCKET is not');
    expect(problemOf({ MEDIA_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toContain('MEDIA_S3_ENDPOINT is set but MEDIA_S3_BUCKET is not');
  });

  it('refuses malformed values without repeating the secret', () => {
    expect(problemOf({ ...full, MEDIA_S3_ENDPOINT: 'ftp://files' })).toContain('MEDIA_S3_ENDPOINT');
    expect(problemOf({ ...full, MEDIA_S3_BUCKET: 'Not_A_Bucket' })).toContain('MEDIA_S3_BUCKET');
    expect(problemOf({ ...full, MEDIA_S3_PREFIX: '/leading' })).toContain('MEDIA_S3_PREFIX');
    expect(problemOf({ ...full, MEDIA_S3_FORCE_PATH_STYLE: 'maybe' })).toContain('MEDIA_S3_FORCE_PATH_STYLE');
    expect(problemOf({ ...full, MEDIA_S3_SECRET_ACCESS_KEY: '   ', MEDIA_S3_PREFIX: '/x' })).not.toContain('   ');
  });
});
