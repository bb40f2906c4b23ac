/**
 * libvips does the pixel work of every picture on threads of its own ("libvips worker"), off the
 * event loop. At the default priority they still take turns on the CPU with the loop that
 * delivers chat, so on a small machine a few photos would make every message wait for its
 * slice. At nice 19 the kernel gives the loop the core whenever it has work, and the photos the
 * rest: they take a little longer under chat load, and the chat does not feel them.
 *
 * Linux only (thread names and per-thread priorities through /proc); elsewhere a no-op.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

const PIXEL_THREAD = 'libvips worker';
const LOWEST = 19;
/** Threads already looked at: lowered, or not ours to lower. */
const seen = new Set<number>();
let supported = process.platform === 'linux';

/**
 * Lowers the priority of pixel threads started since the last call. Cheap (a directory listing
 * of the process's few dozen threads), so it is called around every picture's work; threads that
 * libvips starts from a lowered thread inherit the priority anyway.
 */
export function lowerPixelThreads(): void {
  if (!supported) return;
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    supported = false;
    return;
  }
  for (const name of threads) {
    const tid = Number(name);
    if (seen.has(tid)) continue;
    seen.add(tid);
    try {
      if (readFileSync(`/proc/self/task/${name}/comm`, 'latin1').startsWith(PIXEL_THREAD)) setPriority(tid, LOWEST);
    } catch {
      // The thread ended in between: nothing to lower.
    }
  }
}
