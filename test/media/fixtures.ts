/** Real file bytes for attachment tests: each starts with the magic numbers of its format. */
import { Buffer } from 'node:buffer';

/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The start of a Windows program: the MZ header pointing at a PE signature. */
export function windowsProgram(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x14c, 0x84);
  return bytes;
}

/** The start of a Linux program. */
export function linuxProgram(): Buffer {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(bytes);
  return bytes;
}

/** A zip whose one (stored, empty) entry is `name`. */
export function zipWith(name: string): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(fileName.length, 26);
  const local = Buffer.concat([header, fileName]);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(fileName.length, 28);
  const centralEntry = Buffer.concat([central, fileName]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralEntry.length, 12);
  end.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, centralEntry, end]);
}

export interface ZipEntrySpec {
  name: string;
  /** Sets the "encrypted" flag, as a password-protected zip does. */
  encrypted?: boolean;
  /** Declared sizes (the bytes themselves are not there: only the table of contents is read). */
  compressedSize?: number;
  uncompressedSize?: number;
  crc?: number;
  /** Where its local header is said to be; overlapping entries share one. */
  offset?: number;
}

/** A zip whose table of contents declares `entries` (each with an empty stored body). */
export function zipOf(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const fileName = Buffer.from(entry.name, 'utf8');
    const flags = entry.encrypted ? 1 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt32LE(entry.crc ?? 0, 16);
    central.writeUInt32LE(entry.compressedSize ?? 0, 20);
    central.writeUInt32LE(entry.uncompressedSize ?? 0, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(entry.offset ?? offset, 42);
    locals.push(local, fileName);
    centrals.push(central, fileName);
    offset += local.length + fileName.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** A 7z archive whose (encoded) header names 7-Zip's AES coder: what "7z with a password" looks like. */
export function sevenZip({ encrypted }: { encrypted: boolean }): Buffer {
  const body = Buffer.alloc(64, 0x5a);
  const header = Buffer.from([0x17, 0x06, 0x00, 0x01, 0x0b, 0x01, 0x01, 0x24, ...(encrypted ? [0x06, 0xf1, 0x07, 0x01] : [0x03, 0x01, 0x01]), 0x00]);
  const start = Buffer.alloc(32);
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]).copy(start);
  start.writeBigUInt64LE(BigInt(body.length), 12);
  start.writeBigUInt64LE(BigInt(header.length), 20);
  return Buffer.concat([start, body, header]);
}

/** A RAR 4 archive whose main header says its headers are encrypted (`rar -hp`), or not. */
export function rar4({ encrypted }: { encrypted: boolean }): Buffer {
  const main = Buffer.alloc(13);
  main[2] = 0x73;
  main.writeUInt16LE(encrypted ? 0x0080 : 0, 3);
  main.writeUInt16LE(13, 5);
  return Buffer.concat([Buffer.from('Rar!\x1a\x07\x00', 'latin1'), main, Buffer.alloc(64)]);
}

/** An OLE compound file (an old-style .doc) holding a VBA project, or not. */
export function compoundDocument({ macros }: { macros: boolean }): Buffer {
  const bytes = Buffer.alloc(2048);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes);
  bytes.writeUInt16LE(0x3e, 24);
  bytes.writeUInt16LE(3, 26);
  bytes.writeUInt16LE(0xfffe, 28);
  bytes.writeUInt16LE(9, 30);
  Buffer.from(macros ? '_VBA_PROJECT' : 'WordDocument', 'utf16le').copy(bytes, 1024);
  return bytes;
}

/**
 * A RAR 5 archive: an archive encryption header first (`rar -hp`, `encrypted: true`), a file
 * whose header carries an encryption record (`rar -p`, `encrypted: 'file'`), or one plain file.
 */
export function rar5({ encrypted }: { encrypted: boolean | 'file' }): Buffer {
  const header = (body: number[]) => Buffer.from([0, 0, 0, 0, body.length, ...body]);
  const signature = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
  if (encrypted === 'file') {
    const record = [3, 1, 0, 0];
    return Buffer.concat([signature, header([1, 0, 0]), header([2, 1, record.length, 0, 0, 0, 0, 0, 1, 0x61, ...record]), Buffer.alloc(32, 0x44)]);
  }
  if (encrypted) return Buffer.concat([signature, header([4, 0, 0, 1, 15, ...new Array(16).fill(7), ...new Array(12).fill(9)]), Buffer.alloc(64, 0x33)]);
  return Buffer.concat([signature, header([1, 0, 0]), header([2, 0, 0, 0, 0, 0, 0, 1, 0x61]), header([5, 0, 0])]);
}

/** `megabytes` MiB of zeros, gzipped as they are made (about 1,000 to 1: a gzip bomb past 64 MiB). */
export async function gzippedZeros(megabytes: number): Promise<Buffer> {
  const { createGzip } = await import('node:zlib');
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve, reject) => gzip.once('end', resolve).once('error', reject));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i += 1) if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

export interface TarEntrySpec {
  name: string;
  /** The entry's bytes (a few at most: the tests only need the headers). */
  body?: Buffer;
  /** An old-GNU sparse entry ('S') claiming to unpack to this many bytes. */
  sparseRealSize?: number;
  /** A PAX header before the entry, e.g. { 'GNU.sparse.realsize': '…' } or { path: '…' }. */
  pax?: Record<string, string>;
}

/** A ustar archive of `entries`, ended by two zero blocks. */
export function tarOf(entries: TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
  const header = (name: string, size: number, type: string, realSize?: number) => {
    const h = Buffer.alloc(512);
    h.write(name.slice(0, 100), 0, 'utf8');
    h.write('0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write(type, 156, 'latin1');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    if (realSize !== undefined && realSize < 8 ** 11) h.write(realSize.toString(8).padStart(11, '0') + '\0', 483, 'latin1');
    // Past 8 GiB a number field is base-256: the high bit set, then the value big-endian.
    if (realSize !== undefined && realSize >= 8 ** 11) {
      h[483] = 0x80;
      h.writeBigUInt64BE(BigInt(realSize), 483 + 4);
    }
    h.write('        ', 148, 'latin1');
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    return h;
  };
  for (const entry of entries) {
    if (entry.pax) {
      const records = Object.entries(entry.pax).map(([key, value]) => {
        const body = ` ${key}=${value}\n`;
        let length = body.length + 2;
        if (String(length).length + body.length !== length) length = String(length + 1).length + body.length;
        return `${length}${body}`;
      });
      const data = Buffer.from(records.join(''), 'utf8');
      blocks.push(header('PaxHeader', data.length, 'x'), pad(data));
    }
    const body = entry.body ?? Buffer.alloc(0);
    blocks.push(header(entry.name, body.length, entry.sparseRealSize !== undefined ? 'S' : '0', entry.sparseRealSize), pad(body));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
