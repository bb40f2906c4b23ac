/**
 * Compressed streams and tarballs: a gzip file (and so a `.tar.gz`) declares nothing trustworthy
 * about what it unpacks to (its trailer holds the size modulo 4 GiB), so the only way to know is
 * to unpack it — here only as far as a bounded budget, counting and dropping the output. A plain
 * tar declares every entry's size in its headers, which are walked as the bytes pass; a tar cannot
 * expand except through sparse entries, which declare their real size apart.
 *
 * The inflating runs in libuv's thread pool (zlib's stream API), in 1 MiB output chunks, so the
 * event loop sees a callback per MiB and nothing else.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { bombOf, type ArchiveFindings } from './expansion.ts';

/**
 * How far a gzip is unpacked to see what it expands to. Beyond this the cost of looking would be
 * the attack itself; a bomb that stays under the ratio for this long needs more than
 * OUTPUT_BUDGET / MAX_RATIO bytes of incompressible lead, which the size limit and the ratio on
 * what follows make expensive to build. Measured here: 0.3 s of CPU to unpack the whole budget
 * (600 MiB at 41×); a bomb is caught after its first 64 MiB, in under 0.1 s.
 */
const OUTPUT_BUDGET = 512 * 1024 * 1024;
const OUTPUT_CHUNK = 1024 * 1024;

/** Unpacks up to OUTPUT_BUDGET and judges the expansion as a zip's declared one (archives.ts `bombOf`). */
export async function probeGzip(read: () => Readable, size: number): Promise<ArchiveFindings> {
  const source = read();
  const gunzip = createGunzip({ chunkSize: OUTPUT_CHUNK });
  const tar = new TarWalker();
  let unpacked = 0;
  let finding: ArchiveFindings | null = null;
  // pipe() does not pass a failing source on: without this the loop below would wait for ever.
  source.once('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    for await (const raw of gunzip) {
      const chunk = raw as Buffer;
      unpacked += chunk.length;
      if (unpacked <= OUTPUT_BUDGET) tar.push(chunk);
      // What came out for what went in so far: a bomb shows its ratio from its first megabytes.
      const bomb = bombOf({ unpacked, packed: Math.max(1, gunzip.bytesWritten) });
      if (bomb) {
        finding = { ...bomb, names: [] };
        break;
      }
      if (unpacked >= OUTPUT_BUDGET) break;
    }
  } finally {
    source.unpipe(gunzip);
    source.destroy();
    gunzip.destroy();
  }
  if (finding) return finding;
  // A tarball inside: its entries' names and sizes, as far as they were unpacked.
  const inside = tar.findings(size);
  return inside ?? { risk: null, names: [] };
}

/** Walks a tar stream's headers in `read`'s bytes; null when it is not a tar. */
export async function inspectTar(read: () => Readable, size: number): Promise<ArchiveFindings> {
  const stream = read();
  const tar = new TarWalker();
  try {
    for await (const chunk of stream) {
      tar.push(chunk as Buffer);
      if (tar.done) break;
    }
  } finally {
    stream.destroy();
  }
  return tar.findings(size) ?? { risk: null, names: [] };
}

const BLOCK = 512;
/** Names kept for the name checks (an installer tarred under its own name); more are counted only. */
const MAX_NAMES = 10_000;

/**
 * A tar's headers, fed chunk by chunk: each 512-byte header gives a name and a size, and the
 * entry's data (rounded up to whole blocks) is skipped without being kept. Understands ustar, the
 * GNU long-name and old sparse headers, and PAX extended headers (their `path` and the sparse
 * `GNU.sparse.realsize` / `GNU.sparse.size`).
 */
export class TarWalker {
  private offset = 0;
  /** Where the next header starts, in stream offsets. */
  private nextHeader = 0;
  private header = Buffer.alloc(0);
  /** Bytes of a long name or PAX record that follow a header, collected to that header's size. */
  private extended: { type: string; size: number; parts: Buffer[]; length: number } | null = null;
  private pendingName: string | null = null;
  private pendingRealSize: number | null = null;
  private isTar: boolean | null = null;
  readonly names: string[] = [];
  entries = 0;
  declared = 0;
  done = false;

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.done) {
      const position = this.offset + at;
      if (this.extended) {
        const want = Math.min(this.extended.size - this.extended.length, chunk.length - at);
        this.extended.parts.push(chunk.subarray(at, at + want));
        this.extended.length += want;
        at += want;
        if (this.extended.length === this.extended.size) this.finishExtended();
        continue;
      }
      if (position < this.nextHeader) {
        at += Math.min(this.nextHeader - position, chunk.length - at);
        continue;
      }
      const want = BLOCK - this.header.length;
      const part = chunk.subarray(at, at + want);
      this.header = this.header.length === 0 ? Buffer.from(part) : Buffer.concat([this.header, part]);
      at += part.length;
      if (this.header.length === BLOCK) {
        const header = this.header;
        this.header = Buffer.alloc(0);
        this.readHeader(header, this.offset + at);
      }
    }
    this.offset += chunk.length;
  }

  /** Null when the stream was not a tar at all. */
  findings(size: number): ArchiveFindings | null {
    if (!this.isTar) return null;
    const bomb = this.entries > MAX_TAR_ENTRIES ? { risk: 'archive-bomb' as const, detail: `${this.entries} entries` } : bombOf({ unpacked: this.declared, packed: size });
    return bomb ? { ...bomb, names: this.names } : { risk: null, names: this.names };
  }

  private readHeader(header: Buffer, dataStart: number): void {
    if (header.every((byte) => byte === 0)) {
      // The end of the archive is two zero blocks; one is enough to stop looking. No tar starts
      // with one, so a stream that does is not a tar (and is not walked block by block).
      this.isTar ??= false;
      this.done = true;
      return;
    }
    if (this.isTar === null) this.isTar = header.toString('latin1', 257, 262) === 'ustar' && checksumMatches(header);
    if (!this.isTar || !checksumMatches(header)) {
      this.done = true;
      return;
    }
    const type = String.fromCharCode(header[156]!);
    const size = octal(header, 124, 12);
    if (size === null) {
      this.done = true;
      return;
    }
    this.nextHeader = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x') {
      if (size > 1024 * 1024) {
        this.done = true;
        return;
      }
      this.extended = { type, size, parts: [], length: 0 };
      if (size === 0) this.finishExtended();
      return;
    }
    if (type === 'g') return;
    this.entries += 1;
    const prefix = header.toString('latin1', 345, 345 + 155).replace(/\0.*$/s, '');
    const name = this.pendingName ?? (prefix ? `${prefix}/` : '') + header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    // Old GNU sparse entries carry the size the file unpacks to at offset 483.
    const realSize = this.pendingRealSize ?? (type === 'S' ? octal(header, 483, 12) : null) ?? size;
    this.pendingName = null;
    this.pendingRealSize = null;
    this.declared += realSize;
    if (this.names.length < MAX_NAMES && type !== '5') this.names.push(name);
  }

  private finishExtended(): void {
    const { type, parts } = this.extended!;
    this.extended = null;
    const body = Buffer.concat(parts);
    if (type === 'L') {
      this.pendingName = body.toString('utf8').replace(/\0.*$/s, '');
      return;
    }
    // PAX records: "<length> <key>=<value>\n".
    for (const line of body.toString('utf8').split('\n')) {
      const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
      if (!match) continue;
      const [, key, value] = match as unknown as [string, string, string];
      if (key === 'path') this.pendingName = value;
      if (key === 'GNU.sparse.realsize' || key === 'GNU.sparse.size') {
        const n = Number(value);
        if (Number.isFinite(n) && n >= 0) this.pendingRealSize = n;
      }
      if (key === 'GNU.sparse.name') this.pendingName = value;
    }
  }
}

const MAX_TAR_ENTRIES = 100_000;

function checksumMatches(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  if (stored === null) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === stored;
}

/** A tar number field: octal text, or base-256 when the high bit of its first byte is set. */
function octal(header: Buffer, at: number, length: number): number | null {
  if ((header[at]! & 0x80) !== 0) {
    let value = header[at]! & 0x7f;
    for (let i = 1; i < length; i += 1) value = value * 256 + header[at + i]!;
    return value;
  }
  const text = header.toString('latin1', at, at + length).replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
}
