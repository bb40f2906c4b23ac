/**
 * The QR decoder as the upload path uses it: pictures decoded by sharp, codes read on a worker
 * thread with the event loop left free, a time box that gives up on a picture without losing the
 * decoder, and a clean close.
 */
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scanImage } from '../../server/media/image-scan.ts';
import { createQrDecoder } from '../../server/media/qr-decoder.ts';
import { photo } from './safety-pictures.ts';

const decoder = createQrDecoder({ timeoutMs: 5_000 });
afterAll(() => decoder.close());

const scan = async (picture: Buffer) => (await scanImage(() => Readable.from([picture])))!;

/** Random grey: the worst case for a QR finder, which looks for patterns everywhere. */
function noise(width: number, height: number): Uint8Array {
  const grey = new Uint8Array(width * height);
  let state = 12345;
  for (let i = 0; i < grey.length; i += 1) grey[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  return grey;
}

describe('QR decoder', () => {
  it('reads the QR code printed into a photo, and nothing from a photo without one', async () => {
    const withCode = await scan(await photo(41, { qr: 'https://example.org/meetup?day=sat' }));
    expect(withCode).toMatchObject({ width: 1200, height: 900 });
    expect((await decoder.decode(withCode.grey, withCode.width, withCode.height)).texts).toEqual(['https://example.org/meetup?day=sat']);
    const without = await scan(await photo(42));
    expect(await decoder.decode(without.grey, without.width, without.height)).toMatchObject({ texts: [], timedOut: false });
  });

  it('scales a 24-megapixel photo down before reading it, and still finds the code', async () => {
    const big = await scan(await photo(43, { qr: '加V信 abc12345', width: 6000, height: 4000 }));
    expect([big.width, big.height]).toEqual([1600, 1067]);
    expect((await decoder.decode(big.grey, big.width, big.height)).texts).toEqual(['加V信 abc12345']);
  });

  it('decodes off the event loop: timers keep firing while a slow picture is read', async () => {
    const grey = noise(1600, 1600);
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 2);
    let result;
    try {
      result = await decoder.decode(grey, 1600, 1600);
    } finally {
      clearInterval(ticker);
    }
    expect(result.timedOut).toBe(false);
    // On this thread the decode would stall the timer for all of result.ms.
    expect(result.ms).toBeGreaterThan(40);
    expect(longestGap).toBeLessThan(Math.max(30, result.ms / 2));
  });

  it('gives up on a picture past its time box, reports it, and decodes the next one on a fresh worker', async () => {
    const hasty = createQrDecoder({ timeoutMs: 100 });
    try {
      // The first decode of a worker has extra time to compile the decoder; warm it up.
      expect((await hasty.decode(new Uint8Array(64 * 64), 64, 64)).timedOut).toBe(false);
      // About 4 × the 1600² noise above: far past 100 ms.
      const slow = await hasty.decode(noise(3200, 3200), 3200, 3200);
      expect(slow).toMatchObject({ texts: [], timedOut: true });
      expect(slow.ms).toBeGreaterThanOrEqual(100);
      const withCode = await scan(await photo(44, { qr: 'https://example.org/x' }));
      expect(await hasty.decode(withCode.grey, withCode.width, withCode.height)).toMatchObject({ texts: ['https://example.org/x'], timedOut: false });
    } finally {
      await hasty.close();
    }
  });

  it('refuses work once closed', async () => {
    const closing = createQrDecoder();
    await closing.close();
    await expect(closing.decode(new Uint8Array(4), 2, 2)).rejects.toThrow(/closed/);
  });
});
