/** Picks the media driver the configuration asks for: S3 when MEDIA_S3_BUCKET is set, else a local directory. */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { LocalStorage } from './local-storage.ts';
import { S3Storage } from './s3-storage.ts';
import type { MediaStorage } from './storage.ts';

export async function openMediaStorage(config: Config, log: Logger): Promise<MediaStorage> {
  const localDir = mediaDirOf(config);
  if (!config.mediaS3) return LocalStorage.open(localDir, log);
  const { bucket, endpoint, region, prefix } = config.mediaS3;
  log.info({ bucket, endpoint, region, prefix }, 'attachments are stored in S3-compatible object storage');
  return S3Storage.open(config.mediaS3, localDir ? path.join(localDir, 'tmp') : null, log);
}

/** Null: an in-memory deployment, whose files go to a temporary directory removed on close. */
function mediaDirOf(config: Config): string | null {
  if (config.mediaDir) return config.mediaDir;
  return config.dataDir.startsWith('memory://') ? null : path.join(config.dataDir, 'media');
}
