/**
 * QR codes in pictures, read on a worker thread (qr-worker.ts) so that decoding — about 90 ms for
 * a phone photo — never holds up the event loop that carries every chat message of the gateway.
 * One worker by default: uploads with pictures queue behind each other rather than take every
 * core from the chat. Each picture gets a time box; a decode that overruns it is abandoned (the
 * worker is replaced, since WebAssembly cannot be interrupted) and reported as `timedOut`, so the
 * caller decides what an unread picture means.
 */
import { Worker } from 'node:worker_threads';
import type { QrAnswer, QrJob } from './qr-worker.ts';

export interface QrScan {
  texts: string[];
  timedOut: boolean;
  /** Time spent decoding in the worker (or waiting for it, when it timed out). */
  ms: number;
}

export interface QrDecoder {
  /** `grey`: one byte of luminance a pixel, `width × height` of them. */
  decode(grey: Uint8Array, width: number, height: number): Promise<QrScan>;
  close(): Promise<void>;
}

export interface QrDecoderOptions {
  workers?: number;
  timeoutMs?: number;
}

interface Pending {
  job: QrJob;
  started: number;
  resolve(scan: QrScan): void;
  reject(error: Error): void;
}

// The compiled server runs dist/…/qr-worker.js; tests and tsx run the TypeScript source, which a
// worker can only load through tsx's loader.
const SOURCE = import.meta.url.endsWith('.ts');
/**
 * A new worker compiles the WebAssembly module before its first decode (a few hundred ms, more
 * through tsx); that is not the picture's fault, so its first time box is this much longer.
 */
const STARTUP_GRACE_MS = 5_000;
const CLOSE_WAIT_MS = 2_000;
const WORKER_URL = new URL(SOURCE ? './qr-worker.ts' : './qr-worker.js', import.meta.url);

export function createQrDecoder(options: QrDecoderOptions = {}): QrDecoder {
  const size = Math.max(1, options.workers ?? 1);
  const timeoutMs = options.timeoutMs ?? 2000;
  const queue: Pending[] = [];
  const slots: Array<{ worker: Worker; busy: Pending | null; timer: NodeJS.Timeout | null; fresh: boolean } | null> = Array.from({ length: size }, () => null);
  let nextId = 1;
  let closed = false;

  function spawn(index: number) {
    const worker = SOURCE
      ? // Node 20 does not pass --import on to workers: the worker loads tsx itself, then the source.
        new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(WORKER_URL.href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true })
      : new Worker(WORKER_URL);
    // A gateway with no picture to read should still exit when asked.
    worker.unref();
    const slot = { worker, busy: null as Pending | null, timer: null as NodeJS.Timeout | null, fresh: true };
    worker.on('message', (answer: QrAnswer) => {
      const pending = slot.busy;
      if (!pending || pending.job.id !== answer.id) return;
      finish(index, slot);
      if ('error' in answer) pending.reject(new Error(`QR decoding failed: ${answer.error}`));
      else pending.resolve({ texts: answer.texts, timedOut: false, ms: answer.ms });
    });
    worker.on('error', (error) => {
      const pending = slot.busy;
      replace(index, slot);
      pending?.reject(error);
    });
    worker.on('exit', () => {
      if (slots[index] !== slot) return;
      const pending = slot.busy;
      slots[index] = null;
      pending?.reject(new Error('the QR worker stopped'));
      pump();
    });
    slots[index] = slot;
    return slot;
  }

  function finish(index: number, slot: NonNullable<(typeof slots)[number]>) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    if (slots[index] === slot) pump();
  }

  function replace(index: number, slot: NonNullable<(typeof slots)[number]>) {
    if (slot.timer) clearTimeout(slot.timer);
    if (slots[index] === slot) slots[index] = null;
    void slot.worker.terminate();
    pump();
  }

  function pump() {
    if (closed) return;
    for (let index = 0; index < size && queue.length > 0; index += 1) {
      let slot = slots[index];
      if (slot?.busy) continue;
      slot ??= spawn(index);
      const pending = queue.shift()!;
      slot.busy = pending;
      pending.started = performance.now();
      const current = slot;
      const box = timeoutMs + (current.fresh ? STARTUP_GRACE_MS : 0);
      current.fresh = false;
      // The time box counts from the start of this picture's decode, not from the queue.
      current.timer = setTimeout(() => {
        current.busy = null;
        replace(index, current);
        pending.resolve({ texts: [], timedOut: true, ms: Math.round(performance.now() - pending.started) });
      }, box);
      current.worker.postMessage(pending.job, [pending.job.grey.buffer as ArrayBuffer]);
    }
  }

  return {
    decode(grey, width, height) {
      if (closed) return Promise.reject(new Error('the QR decoder is closed'));
      // The buffer is handed to the worker; a copy keeps the caller's pixels usable.
      const job: QrJob = { id: nextId++, width, height, grey: grey.slice() };
      return new Promise<QrScan>((resolve, reject) => {
        queue.push({ job, started: 0, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('the QR decoder is closed'));
      await Promise.all(
        slots.map(async (slot, index) => {
          if (!slot) return;
          slots[index] = null;
          if (slot.timer) clearTimeout(slot.timer);
          slot.busy?.reject(new Error('the QR decoder is closed'));
          // Bounded: a worker that will not stop (still loading, say) must not hold up the
          // gateway's shutdown; it is unref'd, so it does not keep the process alive either.
          await Promise.race([slot.worker.terminate(), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
        }),
      );
    },
  };
}
