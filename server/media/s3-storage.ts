/**
 * The S3-compatible media driver (MinIO, R2, AWS): objects `<prefix>/<aa>/<bb>/<sha256>` in one
 * bucket that any number of gateways share. Uploads are staged on local disk while hashed, so the
 * content key is known before anything is sent, and an object already kept is not sent again.
 * Memory stays bounded: the staged file is streamed up in parts, never read whole.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Logger } from 'pino';
import type { MediaS3Config } from '../config.ts';
import { ABANDONED_STAGING_AGE_MS, StagingDir } from './staging.ts';
import type { ByteRange, MediaStorage, StagedUpload, StoredObject } from './storage.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Parts of a multipart upload: at most PART_SIZE × PART_QUEUE bytes of one upload are in memory. */
export const PART_SIZE = 8 * 1024 * 1024;
const PART_QUEUE = 2;

export class S3Storage implements MediaStorage {
  private constructor(
    private readonly client: S3Client,
    private readonly settings: MediaS3Config,
    private readonly staging: StagingDir,
    private readonly removeStagingOnClose: boolean,
  ) {}

  /**
   * `stagingDir` null: a temporary directory removed on close. Removes staged files a crash left
   * there. Sends nothing to the bucket until the first upload or download.
   */
  static async open(settings: MediaS3Config, stagingDir: string | null, log: Logger, now = Date.now()): Promise<S3Storage> {
    const client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The SDK's newer default checksums are not understood by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const staging = new StagingDir(stagingDir ?? (await mkdtemp(path.join(tmpdir(), 'quanzi-media-staging-'))));
    const storage = new S3Storage(client, settings, staging, stagingDir === null);
    const swept = await staging.sweep(now - ABANDONED_STAGING_AGE_MS);
    if (swept > 0) log.info({ swept }, 'removed uploads left unfinished by an earlier run');
    return storage;
  }

  async stage(source: Readable): Promise<StagedUpload> {
    const { path: stagedPath, sha256, size } = await this.staging.write(source);
    let settled = false;
    const forget = async () => {
      settled = true;
      await rm(stagedPath, { force: true });
    };
    return {
      sha256,
      size,
      path: stagedPath,
      read: () => createReadStream(stagedPath),
      commit: async () => {
        if (settled) throw new Error('this staged upload was already committed or discarded');
        const key = this.objectKey(sha256);
        // Content-addressed: an object under this key already holds these very bytes.
        if ((await this.stat(sha256)) === null) {
          const upload = new Upload({
            client: this.client,
            params: { Bucket: this.settings.bucket, Key: key, Body: createReadStream(stagedPath), ContentLength: size },
            partSize: PART_SIZE,
            queueSize: PART_QUEUE,
          });
          await upload.done();
        }
        await forget();
        return sha256;
      },
      discard: async () => {
        if (!settled) await forget();
      },
    };
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
    );
    // In Node the body is the HTTP response itself: streamed through, never buffered.
    return object.Body as Readable;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // Deleting a missing object succeeds in S3, as unlinking a missing file does here.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
  }

  /**
   * ListObjectsV2 under the prefix, a page (at most 1,000 objects, S3's own cap) at a time. Pages
   * go on from the last key (StartAfter) rather than a continuation token: the same in S3, and
   * it leaves the token to servers that imitate S3 (s3rver cannot even make one under Node 20's
   * OpenSSL 3, so the test suite lists only single pages).
   */
  async *list(pageSize = 1000): AsyncIterable<StoredObject> {
    const prefix = `${this.settings.prefix}/`;
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix, MaxKeys: pageSize, ...(startAfter ? { StartAfter: startAfter } : {}) }),
      );
      const contents = page.Contents ?? [];
      for (const object of contents) {
        const key = object.Key?.slice(object.Key.lastIndexOf('/') + 1) ?? '';
        // Only what objectKey() writes: anything else under the prefix is not ours to judge.
        if (!SHA256_HEX.test(key) || object.Key !== this.objectKey(key)) continue;
        yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date() };
      }
      const last = contents[contents.length - 1]?.Key;
      if (!page.IsTruncated || !last) return;
      startAfter = last;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
    if (this.removeStagingOnClose) await rm(this.staging.dir, { recursive: true, force: true });
  }

  private objectKey(key: string): string {
    if (!SHA256_HEX.test(key)) throw new Error(`not a media key: ${key}`);
    return `${this.settings.prefix}/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
}
