/**
 * W9 photos: 24-megapixel JPEGs (6000 × 4000, camera-like noise, quality 90, made once by the
 * load generator) uploaded to the gateway. Two figures:
 * - throughput: `photos` uploads, `inFlight` at a time, each answered only once its metadata is
 *   removed and its web rendition, thumbnail and ThumbHash are made: photos per second end to end;
 * - chat while photos are processed: the same chat step (rooms × members, one sender per room, a
 *   fixed rate) with `inFlight` photo uploads kept going throughout (each sent at a phone's uplink
 *   rate), against the same step with no uploads, in interleaved rounds. The figure is p99
 *   send→receive loaded / unloaded (target ≤ 1.5×): the pixel work must stay off the event loop
 *   that delivers the chat. A third kind of round uploads the same bytes as a plain file (no image
 *   work), which tells the upload path's own cost (multipart, hashing, disk) from the pictures'.
 * Quanzi only: the relay has no uploads to compare with; the baseline is Quanzi without them.
 */
import sharp from 'sharp';
import type { Side } from '../servers.ts';
import { runStep, type StepMeasurement } from '../step.ts';
import { round3 } from '../stats.ts';
import type { WorkloadContext } from './context.ts';
import { openRooms } from './rooms.ts';

export const PHOTO_CHAT_P99_RATIO_TARGET = 1.5;
const WIDTH = 6000;
const HEIGHT = 4000;
const PACE_CHUNK = 64 * 1024;

export interface W9ChatRound {
  /** none: no uploads; photos: photo uploads; files: uploads of the same bytes as a plain file (no image work). */
  uploads: 'none' | 'photos' | 'files';
  p50Ms: number;
  p99Ms: number;
  delivered: number;
  lost: number;
  /** Photos whose processing finished inside the step's window (loaded rounds). */
  photosDuring: number;
  /** The gateway's own event-loop delay p99 over the round (its /metrics), null when unreadable. */
  loopDelayP99Ms: number | null;
}

export interface W9Result {
  megapixels: number;
  photoBytes: number;
  photos: number;
  inFlight: number;
  throughput: { seconds: number; photosPerSecond: number; p50Ms: number; maxMs: number; failed: number };
  chat: {
    uplinkMbps: number;
    rooms: number;
    members: number;
    rate: number;
    seconds: number;
    rounds: W9ChatRound[];
    p99UnloadedMs: number;
    p99LoadedMs: number;
    /** The same uploads without image work: what the upload path itself costs the chat. */
    p99FilesMs: number;
    ratio: number;
    filesRatio: number;
  };
}

export async function runW9(ctx: WorkloadContext): Promise<W9Result | null> {
  const quanzi = ctx.sides.find((s) => s.kind === 'quanzi');
  if (!quanzi) return null;
  const { photos, inFlight, rooms, members, rate, rounds, uplinkMbps } = ctx.profile.w9;
  const uplink = (uplinkMbps * 1e6) / 8;
  const photo = await cameraLikeJpeg();
  ctx.log(`    a ${WIDTH}×${HEIGHT} JPEG of ${(photo.length / 1e6).toFixed(1)} MB`);
  const [owner] = await quanzi.directory.users(1);
  const roomId = await quanzi.directory.createRoom(owner!, 'bench w9 photos', 2);
  const uploader = new Uploader(quanzi, owner!.token!, roomId, photo);

  // One photo first: the decoder's code and the storage directories are a fixed cost.
  await uploader.once();
  const durations: number[] = [];
  let failed = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < photos) {
        const t0 = performance.now();
        if (await uploader.once()) durations.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const throughput = {
    seconds: round3(seconds),
    photosPerSecond: round3(durations.length / seconds),
    p50Ms: round3(durations[Math.floor(durations.length / 2)] ?? 0),
    maxMs: round3(durations[durations.length - 1] ?? 0),
    failed,
  };
  ctx.log(`    ${durations.length} photos in ${seconds.toFixed(1)} s: ${throughput.photosPerSecond.toFixed(2)} photos/s, ${inFlight} in flight (p50 ${Math.round(throughput.p50Ms)} ms per upload)`);

  const open = await openRooms(quanzi, { tag: 'w9', rooms, members, sendersPerRoom: 1 }, ctx.log);
  const chatRounds: W9ChatRound[] = [];
  try {
    const kinds: W9ChatRound['uploads'][] = ['none', 'photos', 'files'];
    for (let round = 0; round < rounds * kinds.length; round++) {
      const kind = kinds[round % kinds.length]!;
      let stop = () => {};
      let photosDuring = 0;
      let uploads: Promise<void> = Promise.resolve();
      if (kind !== 'none') {
        let running = true;
        stop = () => (running = false);
        uploads = Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (running) if ((await uploader.once(kind === 'files', uplink)) && running) photosDuring++;
          }),
        ).then(() => {});
        // Let the uploads reach the decoder before the chat is measured.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      await loopDelayP99(quanzi); // resets the gateway's histogram: the next reading is this round's
      let m: StepMeasurement;
      try {
        m = await runStep(open.fleet, { stepId: ctx.nextStepId(), rate, seconds: ctx.profile.stepSeconds * 2, drainMs: ctx.profile.drainMs, senders: open.senders }, () => quanzi.repin(), quanzi.cpu);
      } finally {
        stop();
        await uploads;
      }
      const loopDelayP99Ms = await loopDelayP99(quanzi);
      chatRounds.push({ uploads: kind, p50Ms: round3(m.recv.p50), p99Ms: round3(m.recv.p99), delivered: m.delivered, lost: m.lost, photosDuring, loopDelayP99Ms });
      ctx.log(`    chat ${rate}/s ${kind === 'none' ? 'without uploads' : `with ${inFlight} ${kind === 'photos' ? 'photo' : 'plain-file'} uploads (${photosDuring} done)`}: p50 ${m.recv.p50.toFixed(1)} ms, p99 ${m.recv.p99.toFixed(1)} ms, lost ${m.lost}, gateway loop delay p99 ${loopDelayP99Ms?.toFixed(1) ?? '?'} ms`);
    }
  } finally {
    open.fleet.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const p99Of = (kind: W9ChatRound['uploads']) => median(chatRounds.filter((r) => r.uploads === kind).map((r) => r.p99Ms));
  const [p99UnloadedMs, p99LoadedMs, p99FilesMs] = [p99Of('none'), p99Of('photos'), p99Of('files')];
  return {
    megapixels: (WIDTH * HEIGHT) / 1e6,
    photoBytes: photo.length,
    photos,
    inFlight,
    throughput,
    chat: {
      uplinkMbps,
      rooms,
      members,
      rate,
      seconds: ctx.profile.stepSeconds * 2,
      rounds: chatRounds,
      p99UnloadedMs,
      p99LoadedMs,
      p99FilesMs,
      ratio: round3(p99LoadedMs / p99UnloadedMs),
      filesRatio: round3(p99FilesMs / p99UnloadedMs),
    },
  };
}

/** Noise over a gradient compresses about as a real photo does (≈ 0.5 bytes a pixel at quality 90). */
async function cameraLikeJpeg(): Promise<Buffer> {
  const noise = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 24 } } })
    .blur(0.8)
    .raw()
    .toBuffer();
  return sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'BENCH', Model: 'W9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' } })
    .toBuffer();
}

class Uploader {
  private readonly url: string;

  constructor(
    side: Side,
    private readonly token: string,
    roomId: string,
    photo: Buffer,
  ) {
    this.url = `${side.gateways[0]}/v1/rooms/${roomId}/attachments`;
    this.blob = new Blob([new Uint8Array(photo)], { type: 'image/jpeg' });
    // The same bytes with their magic number spoiled: a plain file of the same size, no image work.
    const plain = Buffer.from(photo);
    plain.write('BIN!', 0, 'latin1');
    this.plainBlob = new Blob([new Uint8Array(plain)]);
  }

  private readonly blob: Blob;
  private readonly plainBlob: Blob;

  /**
   * One upload, answered once the photo is processed; false when it was refused. With a rate, the
   * body is sent at that many bytes a second, as from a phone, rather than as fast as loopback goes.
   */
  async once(plainFile = false, bytesPerSecond: number | null = null): Promise<boolean> {
    const form = new FormData();
    form.append('file', plainFile ? this.plainBlob : this.blob, plainFile ? 'bench.bin' : 'bench.jpg');
    const request = new Request(this.url, { method: 'POST', headers: { authorization: `Bearer ${this.token}` }, body: form });
    const body = bytesPerSecond === null ? request.body : paced(request.body!, bytesPerSecond);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': request.headers.get('content-type')! },
      body,
      duplex: 'half',
      signal: AbortSignal.timeout(120_000),
    } as RequestInit);
    const answer = (await response.json()) as { attachment?: { display?: unknown } };
    return response.status === 201 && (plainFile || answer.attachment?.display !== undefined);
  }
}

/** `source` re-chunked to 64 KiB and held back to `bytesPerSecond`. */
function paced(source: ReadableStream<Uint8Array>, bytesPerSecond: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const started = performance.now();
  let sent = 0;
  let pending = new Uint8Array(0);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (pending.length < PACE_CHUNK) {
        const { done, value } = await reader.read();
        if (done) break;
        const joined = new Uint8Array(pending.length + value.length);
        joined.set(pending);
        joined.set(value, pending.length);
        pending = joined;
      }
      if (pending.length === 0) return controller.close();
      const chunk = pending.subarray(0, PACE_CHUNK);
      pending = pending.subarray(chunk.length);
      const due = started + (sent / bytesPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** prom-client's event-loop delay p99 (it restarts its histogram at every scrape). */
async function loopDelayP99(side: Side): Promise<number | null> {
  try {
    const text = await (await fetch(`${side.gateways[0]}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const match = /^quanzi_nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
    return match ? round3(Number(match[1]) * 1000) : null;
  } catch {
    return null;
  }
}
