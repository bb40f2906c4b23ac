/**
 * The QR decoder's thread (see qr-decoder.ts): ZXing compiled to WebAssembly runs synchronously
 * for tens of milliseconds per photo, which must not happen on the gateway's event loop. The
 * .wasm is the copy inside the npm package, handed over as bytes: left to itself the package
 * would fetch it from a CDN, and a gateway has no business reaching the internet to read a picture.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

export interface QrJob {
  id: number;
  width: number;
  height: number;
  /** One byte of luminance a pixel, row by row. */
  grey: Uint8Array;
}

export type QrAnswer = { id: number; texts: string[]; ms: number } | { id: number; error: string };

/**
 * This thread's own nice value, as the pixel worker's (pixel-worker.ts): the thread shares the
 * gateway's process, and on Linux a thread id names one thread to setpriority, so the chat on the
 * other threads comes first. Elsewhere the thread keeps the gateway's priority.
 */
const QR_THREAD_NICE = 10;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), QR_THREAD_NICE);
} catch {
  // Not Linux, or not allowed: decode at the gateway's priority.
}

const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
const wasmBinary = readFileSync(wasmPath);
prepareZXingModule({
  overrides: {
    wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer,
    // Never a URL: if the bytes above were somehow not used, loading fails instead of fetching.
    locateFile: () => wasmPath,
  },
});

parentPort!.on('message', (job: QrJob) => {
  void decode(job).then(
    (answer) => parentPort!.postMessage(answer),
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies QrAnswer),
  );
});

async function decode(job: QrJob): Promise<QrAnswer> {
  const started = performance.now();
  // ZXing takes RGBA; grey is sent over (a quarter of the bytes) and widened here.
  const rgba = new Uint8ClampedArray(job.width * job.height * 4);
  for (let i = 0, j = 0; i < job.grey.length; i += 1, j += 4) {
    const v = job.grey[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const results = await readBarcodes({ data: rgba, width: job.width, height: job.height, colorSpace: 'srgb' } as ImageData, {
    formats: ['QRCode', 'MicroQRCode'],
    tryHarder: true,
    maxNumberOfSymbols: 8,
  });
  return { id: job.id, texts: results.filter((r) => r.isValid).map((r) => r.text), ms: Math.round(performance.now() - started) };
}
