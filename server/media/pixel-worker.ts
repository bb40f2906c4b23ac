/**
 * The pixel work of pictures (decoding, the web rendition, the thumbnail, the ThumbHash, the
 * re-encoding of formats whose metadata cannot be cut out) runs in a child process, not in the
 * gateway. On threads of the gateway it was off the event loop yet still in the gateway's share
 * of the CPU: measured on two shared cores, chat p99 went from ~0.1 s to ~1 s while four photos
 * were processed, whatever the threads' nice value, while the same work in a process of its own
 * session (its own scheduling group, at the lowest priority) left the chat where it was
 * (docs/benchmarks.md, W9). A picture that crashes the decoder takes down this child, not the
 * gateway; the next picture starts a new one.
 *
 * This file is both ends: `PixelWorker` in the gateway, and the child's loop when run directly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ImageScan } from './image-scan.ts';
import type { PixelJob, PixelResult, WorkerAnswers, WorkerJob } from './pixel-jobs.ts';

interface Pending {
  resolve(result: WorkerAnswers[keyof WorkerAnswers]): void;
  reject(err: Error): void;
}

const SELF = fileURLToPath(import.meta.url);
/**
 * 10, not 19: at 19 a machine with any other busy process starved the photos (0.5 photos/s, an
 * upload taking 8 s); at 10 the chat still comes first (about a tenth of the CPU's weight).
 */
const WORKER_NICE = 10;

/** The gateway's end: one child, started on the first picture, restarted after a crash. */
export class PixelWorker {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Renders a picture: the web rendition, the thumbnail, the ThumbHash, the metadata to keep. */
  run(job: PixelJob): Promise<PixelResult> {
    return this.send({ op: 'render', ...job });
  }

  /** Reads what the safety checks look at in a picture (image-scan.ts), off the gateway's CPU share. */
  scan(path: string): Promise<ImageScan | null> {
    return this.send({ op: 'scan', path });
  }

  private send<J extends WorkerJob>(job: J): Promise<WorkerAnswers[J['op']]> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    // A picture being worked on holds the process open, as any pending I/O does; an idle child does not.
    child.channel?.ref();
    return new Promise<WorkerAnswers[J['op']]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      child.send({ id, job }, (err) => {
        if (err) this.settle(id, (p) => p.reject(err));
      });
    });
  }

  private start(): ChildProcess {
    // Run as TypeScript through tsx from the sources, as plain JavaScript from the build.
    const execArgv = SELF.endsWith('.ts') ? ['--import', 'tsx'] : [];
    // detached: a session of its own, so the kernel schedules it as its own group (see above).
    const child = fork(SELF, ['--pixel-worker'], { execArgv, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child.on('message', (message: { id: number; result: WorkerAnswers[keyof WorkerAnswers] }) => this.settle(message.id, (p) => p.resolve(message.result)));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const err = new Error(`the pixel worker stopped (${signal ?? `exit ${code}`})`);
      for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(err));
    });
    // Idle, it must not keep the gateway alive; it ends itself when the gateway goes.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private settle(id: number, how: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.child?.channel?.unref();
    how(pending);
  }

  /** The child's process id while one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }
}

// ---- the child ----

async function serve(): Promise<void> {
  // A low priority, for the process and for its scheduling group (Linux autogroups): the
  // gateway's event loop and its database get the CPU first.
  try {
    setPriority(WORKER_NICE);
  } catch {
    // Not allowed here: run at the priority given.
  }
  try {
    writeFileSync('/proc/self/autogroup', String(WORKER_NICE));
  } catch {
    // Not Linux, or autogroups are off.
  }
  const [{ renderPicture }, { scanImage }] = await Promise.all([import('./pixels.ts'), import('./image-scan.ts')]);
  process.on('disconnect', () => process.exit(0));
  process.on('message', ({ id, job }: { id: number; job: WorkerJob }) => {
    if (job.op === 'scan') {
      // scanImage answers null for anything it cannot read; it does not throw.
      void scanImage(() => createReadStream(job.path)).then((result) => process.send?.({ id, result }));
      return;
    }
    renderPicture(job).then(
      (result) => process.send?.({ id, result }),
      (err: unknown) => process.send?.({ id, result: { ok: false, code: 'IMAGE_UNREADABLE', details: { reason: String(err) } } }),
    );
  });
}

if (process.argv[2] === '--pixel-worker' && process.argv[1] === SELF) void serve();
