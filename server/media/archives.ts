/**
 * A look inside containers without unpacking them: the table of contents of a zip (and of the
 * formats built on zip: APK, IPA, JAR, OOXML), the headers of 7z and RAR archives, and the
 * directory of OLE compound files (old Office documents, MSI installers). What an archive holds
 * decides what it is: a zip whose entries are an Android app is an Android app, an Office file
 * with a VBA project runs macros, an archive that needs a password hides what it holds from every
 * check, and one whose entries claim terabytes is a decompression bomb.
 *
 * Only declared sizes and names are read, never decompressed data, so a bomb costs nothing here.
 * gzip and tar are the exception (server/media/compressed.ts): a gzip declares no size it can be
 * held to, so it is unpacked within a budget.
 */
import type { Readable } from 'node:stream';
import { inspectTar, probeGzip } from './compressed.ts';
import { bombOf, type ArchiveFindings } from './expansion.ts';

export type { ArchiveFindings, FileRisk } from './expansion.ts';

/** The start of the file: 7z and RAR keep their headers there. */
const HEAD_BYTES = 64 * 1024;
/**
 * The end of the file: a zip's table of contents, and usually the 7z header. 4 MiB holds about
 * 80,000 zip entries; an archive with a bigger table of contents is refused as a bomb rather than
 * read further (no chat attachment needs that many files, and listing them costs memory).
 */
const TAIL_BYTES = 4 * 1024 * 1024;

/** An archive inside an archive barely compresses, unless it was made to (42.zip and the like). */
const MAX_NESTED_ARCHIVE_RATIO = 20;
const MAX_ENTRIES = 100_000;

const NESTED_ARCHIVE = /\.(zip|7z|rar|gz|tgz|bz2|xz|tar|zst|cab)$/i;

/** The first and last bytes of a staged file, read in one pass with bounded memory. */
export async function headAndTail(read: () => Readable, size: number): Promise<{ head: Buffer; tail: Buffer; tailStart: number }> {
  const stream = read();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let tailChunks: Buffer[] = [];
  let tailLength = 0;
  try {
    for await (const raw of stream) {
      const chunk = raw as Buffer;
      if (headLength < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLength);
        headChunks.push(part);
        headLength += part.length;
      }
      tailChunks.push(chunk);
      tailLength += chunk.length;
      while (tailLength - tailChunks[0]!.length >= TAIL_BYTES) tailLength -= tailChunks.shift()!.length;
    }
  } finally {
    stream.destroy();
  }
  let tail = Buffer.concat(tailChunks);
  tailChunks = [];
  if (tail.length > TAIL_BYTES) tail = tail.subarray(tail.length - TAIL_BYTES);
  return { head: Buffer.concat(headChunks), tail, tailStart: size - tail.length };
}

const ZIP_MIMES = new Set([
  'application/zip',
  'application/java-archive',
  'application/vnd.android.package-archive',
  'application/epub+zip',
  'application/x-xpinstall',
]);

/** Whether `inspectArchive` has anything to say about this detected type. */
export function isInspectable(mime: string): boolean {
  return ZIP_MIMES.has(mime) || mime.startsWith('application/vnd.openxmlformats-') || mime.startsWith('application/vnd.oasis.opendocument') ||
    mime.includes('macroenabled') || mime === 'application/x-7z-compressed' || mime === 'application/x-rar-compressed' || mime === 'application/x-cfb' ||
    mime === 'application/gzip' || mime === 'application/x-tar';
}

export async function inspectArchive(read: () => Readable, size: number, mime: string): Promise<ArchiveFindings> {
  // Sizes that only unpacking tells (gzip), or that the headers along the whole file declare (tar).
  if (mime === 'application/gzip') return probeGzip(read, size);
  if (mime === 'application/x-tar') return inspectTar(read, size);
  const { head, tail, tailStart } = await headAndTail(read, size);
  if (mime === 'application/x-7z-compressed') return { risk: sevenZipEncrypted(head, tail, tailStart) ? 'encrypted-archive' : null, detail: '7z with AES', names: [] };
  if (mime === 'application/x-rar-compressed') return { risk: rarEncrypted(head) ? 'encrypted-archive' : null, detail: 'rar with a password', names: [] };
  if (mime === 'application/x-cfb') return compoundFile(head, tail);
  return zipContents(tail, tailStart, size);
}

// ---- zip ----

interface ZipEntry {
  name: string;
  encrypted: boolean;
  compressed: number;
  uncompressed: number;
  crc: number;
  offset: number;
}

function zipContents(tail: Buffer, tailStart: number, size: number): ArchiveFindings {
  const listing = readCentralDirectory(tail, tailStart);
  if (listing === 'too-big') return { risk: 'archive-bomb', detail: 'table of contents over 4 MiB', names: [] };
  if (listing === null) return { risk: null, names: [] };
  const entries = listing;
  const names = entries.map((e) => e.name);
  if (entries.length > MAX_ENTRIES) return { risk: 'archive-bomb', detail: `${entries.length} entries`, names: [] };

  const total = entries.reduce((sum, e) => sum + e.uncompressed, 0);
  const bomb = bombOf({ unpacked: total, packed: size });
  if (bomb) return { ...bomb, names };
  // Entries sharing one local header are the overlapping-files bomb: one compressed block, many names.
  if (new Set(entries.map((e) => e.offset)).size < entries.length) return { risk: 'archive-bomb', detail: 'entries overlap', names };
  const nested = entries.filter((e) => NESTED_ARCHIVE.test(e.name));
  if (nested.some((e) => e.compressed > 0 && e.uncompressed / e.compressed > MAX_NESTED_ARCHIVE_RATIO)) {
    return { risk: 'archive-bomb', detail: 'a nested archive made to compress', names };
  }
  const copies = new Set(nested.map((e) => `${e.crc}:${e.uncompressed}`));
  if (nested.length > 1 && copies.size < nested.length) return { risk: 'archive-bomb', detail: 'copies of one nested archive', names };

  if (names.includes('AndroidManifest.xml') && names.some((n) => n === 'classes.dex' || n === 'resources.arsc')) return { risk: 'mobile-app', detail: 'Android app', names };
  if (names.some((n) => /^Payload\/[^/]+\.app\//.test(n))) return { risk: 'mobile-app', detail: 'iOS app', names };
  if (names.includes('META-INF/MANIFEST.MF') && names.some((n) => n.endsWith('.class'))) return { risk: 'executable', detail: 'Java program', names };
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return { risk: 'macro-document', detail: 'VBA project', names };
  if (entries.some((e) => e.encrypted)) return { risk: 'encrypted-archive', detail: 'zip with a password', names };
  return { risk: null, names };
}

/** The entries of a zip's central directory, null when it is not a readable zip. */
function readCentralDirectory(tail: Buffer, tailStart: number): ZipEntry[] | 'too-big' | null {
  // The end record is the last 22 bytes plus a comment of at most 64 KiB.
  let end = -1;
  for (let at = tail.length - 22; at >= Math.max(0, tail.length - 22 - 0xffff); at -= 1) {
    if (tail.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  let count = tail.readUInt16LE(end + 10);
  let cdSize = tail.readUInt32LE(end + 12);
  let recordAt = end;
  if (count === 0xffff || cdSize === 0xffffffff) {
    // Zip64: a locator right before the end record points at the bigger end record.
    const locator = end - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) return null;
    const zip64At = Number(tail.readBigUInt64LE(locator + 8)) - tailStart;
    if (zip64At < 0 || zip64At + 56 > tail.length || tail.readUInt32LE(zip64At) !== 0x06064b50) return 'too-big';
    count = Number(tail.readBigUInt64LE(zip64At + 32));
    cdSize = Number(tail.readBigUInt64LE(zip64At + 40));
    recordAt = zip64At;
  }
  if (count > MAX_ENTRIES) return 'too-big';
  // Measured back from the end record rather than trusting the stored offset, which a
  // self-extracting prefix shifts.
  const start = recordAt - cdSize;
  if (start < 0) return 'too-big';

  const entries: ZipEntry[] = [];
  let at = start;
  while (at + 46 <= recordAt && tail.readUInt32LE(at) === 0x02014b50 && entries.length < count) {
    const nameLength = tail.readUInt16LE(at + 28);
    const extraLength = tail.readUInt16LE(at + 30);
    const commentLength = tail.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      encrypted: (tail.readUInt16LE(at + 8) & 1) === 1,
      crc: tail.readUInt32LE(at + 16),
      compressed: tail.readUInt32LE(at + 20),
      uncompressed: tail.readUInt32LE(at + 24),
      offset: tail.readUInt32LE(at + 42),
      name: tail.toString('utf8', at + 46, Math.min(tail.length, at + 46 + nameLength)),
    };
    readZip64Sizes(tail.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes of 0xffffffff live in the zip64 extra field, in this order, only for those that overflowed. */
function readZip64Sizes(extra: Buffer, entry: ZipEntry): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number | null => (field + 8 <= at + 4 + length && field + 8 <= extra.length ? Number(extra.readBigUInt64LE((field += 8) - 8)) : null);
      if (entry.uncompressed === 0xffffffff) entry.uncompressed = next() ?? entry.uncompressed;
      if (entry.compressed === 0xffffffff) entry.compressed = next() ?? entry.compressed;
      if (entry.offset === 0xffffffff) entry.offset = next() ?? entry.offset;
      return;
    }
    at += 4 + length;
  }
}

// ---- 7z, RAR ----

/** The coder id of 7-Zip's AES-256 + SHA-256: present in the header of every password-protected 7z. */
const SEVEN_ZIP_AES = Buffer.from([0x06, 0xf1, 0x07, 0x01]);

function sevenZipEncrypted(head: Buffer, tail: Buffer, tailStart: number): boolean {
  if (head.length < 32) return false;
  const headerAt = 32 + Number(head.readBigUInt64LE(12));
  const headerSize = Number(head.readBigUInt64LE(20));
  const from = headerAt - tailStart;
  if (from >= 0 && from + headerSize <= tail.length) return tail.subarray(from, from + headerSize).includes(SEVEN_ZIP_AES);
  if (headerAt + headerSize <= head.length) return head.subarray(headerAt, headerAt + headerSize).includes(SEVEN_ZIP_AES);
  return false;
}

function rarEncrypted(head: Buffer): boolean {
  if (head.subarray(0, 8).equals(Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'))) return rar5Encrypted(head);
  if (head.subarray(0, 7).equals(Buffer.from('Rar!\x1a\x07\x00', 'latin1'))) return rar4Encrypted(head);
  return false;
}

function rar4Encrypted(head: Buffer): boolean {
  let at = 7;
  for (let blocks = 0; blocks < 16 && at + 7 <= head.length; blocks += 1) {
    const type = head[at + 2]!;
    const flags = head.readUInt16LE(at + 3);
    const headerSize = head.readUInt16LE(at + 5);
    if (type === 0x73 && (flags & 0x0080) !== 0) return true; // encrypted block headers
    if (type === 0x74) return (flags & 0x0004) !== 0; // the first file: encrypted data
    if (headerSize < 7) return false;
    const added = (flags & 0x8000) !== 0 && at + 11 <= head.length ? head.readUInt32LE(at + 7) : 0;
    at += headerSize + added;
  }
  return false;
}

function rar5Encrypted(head: Buffer): boolean {
  let at = 8;
  for (let blocks = 0; blocks < 16 && at + 6 <= head.length; blocks += 1) {
    const size = vint(head, at + 4);
    if (!size) return false;
    const bodyAt = at + 4 + size.length;
    const type = vint(head, bodyAt);
    if (!type) return false;
    if (type.value === 4) return true; // archive encryption header: everything after it is encrypted
    const flags = vint(head, bodyAt + type.length);
    if (!flags) return false;
    let field = bodyAt + type.length + flags.length;
    let extraSize = 0;
    let dataSize = 0;
    if (flags.value & 1) {
      const extra = vint(head, field);
      if (!extra) return false;
      extraSize = extra.value;
      field += extra.length;
    }
    if (flags.value & 2) {
      const data = vint(head, field);
      if (!data) return false;
      dataSize = data.value;
    }
    if (type.value === 2) {
      // The extra area ends the header; a record of type 1 there is the file's encryption.
      let record = bodyAt + size.value - extraSize;
      while (record < bodyAt + size.value) {
        const recordSize = vint(head, record);
        const recordType = recordSize && vint(head, record + recordSize.length);
        if (!recordSize || !recordType) return false;
        if (recordType.value === 1) return true;
        record += recordSize.length + recordSize.value;
      }
      return false;
    }
    at = bodyAt + size.value + dataSize;
  }
  return false;
}

/** RAR5's variable-length integer: seven bits a byte, high bit set while more follow. */
function vint(buffer: Buffer, at: number): { value: number; length: number } | null {
  let value = 0;
  for (let i = 0; i < 8 && at + i < buffer.length; i += 1) {
    const byte = buffer[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
  }
  return null;
}

// ---- OLE compound files ----

const VBA_STREAM = Buffer.from('_VBA_PROJECT', 'utf16le');
/** The class id of an MSI database's root storage, {000C1084-0000-0000-C000-000000000046}, as stored. */
const MSI_CLSID = Buffer.from([0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]);

/**
 * The directory of a compound file is usually within the first sectors or at the end; scanning
 * both ends finds the stream names without following the sector chains.
 */
function compoundFile(head: Buffer, tail: Buffer): ArchiveFindings {
  const has = (needle: Buffer) => head.includes(needle) || tail.includes(needle);
  if (has(MSI_CLSID)) return { risk: 'installer', detail: 'Windows installer (MSI)', names: [] };
  if (has(VBA_STREAM)) return { risk: 'macro-document', detail: 'VBA project', names: [] };
  return { risk: null, names: [] };
}
