/**
 * A private S3-protocol server (s3rver, on npm) for the S3 media driver's tests: started by the
 * test itself on a free loopback port over a temporary directory, since no real S3, MinIO or R2
 * can be reached from CI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** MEDIA_S3_* for a gateway that stores attachments in this server's bucket. */
  env: Record<string, string>;
  /** The objects created (uploaded) so far, in order: an upload skipped by dedupe adds none. */
  created: { key: string; how: string }[];
  /** Every request the server received, as `METHOD /path?query`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'quanzi-test'): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'quanzi-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const created: TestS3['created'] = [];
  server.on('event', (event) => {
    for (const record of event.Records) if (record.eventName.startsWith('ObjectCreated:')) created.push({ key: record.s3.object.key, how: record.eventName.slice('ObjectCreated:'.length) });
  });
  const { port } = await server.run();
  const requests: string[] = [];
  server.httpServer.on('request', (request) => requests.push(`${request.method} ${request.url}`));
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    // s3rver accepts this one key pair (and checks the signatures made with it).
    env: { MEDIA_S3_BUCKET: bucket, MEDIA_S3_ENDPOINT: endpoint, MEDIA_S3_ACCESS_KEY_ID: 'S3RVER', MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER' },
    created,
    requests,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
