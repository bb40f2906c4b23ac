/**
 * What a file is, from its bytes (magic numbers via `file-type`), never from its name: a
 * `photo.jpg` that is really a Windows program is a Windows program. This only classifies: it
 * says what the file is and what makes it risky to open; whether a room takes it, holds it for
 * review or refuses it is the safety layer's decision (server/safety/attachments.ts). The name
 * only ever adds a risk (an installer zipped under its own extension), never removes one.
 */
import type { Readable } from 'node:stream';
import { fileTypeFromStream } from 'file-type';
import { inspectArchive, isInspectable, type FileRisk } from './archives.ts';

export type { FileRisk } from './archives.ts';
export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

export interface Sniffed {
  kind: AttachmentKind;
  mime: string;
  /** What the file was found to be, for ATTACHMENT_TYPE_REFUSED: the detected type, or `.ext` when only the name gave it away. */
  detected: string;
  risk: FileRisk | null;
  /** Why it is risky, for reviewers (e.g. "Android app", "unpacks to 300 GiB"). */
  riskDetail?: string;
}

/**
 * The types a browser may show inline: decoders without script. Everything else, even another
 * image/* such as SVG (which can carry script), is kind `file` and served as a download.
 */
const INLINE_KINDS: ReadonlyMap<string, AttachmentKind> = new Map([
  ['image/jpeg', 'image'],
  ['image/png', 'image'],
  ['image/gif', 'image'],
  ['image/webp', 'image'],
  ['image/avif', 'image'],
  ['image/heic', 'image'],
  ['image/heif', 'image'],
  ['image/bmp', 'image'],
  ['video/mp4', 'video'],
  ['video/webm', 'video'],
  ['video/quicktime', 'video'],
  ['video/x-m4v', 'video'],
  ['audio/mpeg', 'audio'],
  ['audio/ogg', 'audio'],
  ['audio/opus', 'audio'],
  ['audio/wav', 'audio'],
  ['audio/x-wav', 'audio'],
  ['audio/aac', 'audio'],
  ['audio/x-m4a', 'audio'],
  ['audio/mp4', 'audio'],
  ['audio/flac', 'audio'],
  ['audio/x-flac', 'audio'],
  ['audio/webm', 'audio'],
]);

/** Types that are programs, installers or macro carriers by their content alone. */
const RISKY_MIMES: ReadonlyMap<string, FileRisk> = new Map([
  ['application/x-msdownload', 'executable'],
  ['application/x-dosexec', 'executable'],
  ['application/x-elf', 'executable'],
  ['application/x-mach-binary', 'executable'],
  ['application/java-archive', 'executable'],
  ['application/java-vm', 'executable'],
  ['application/vnd.android.package-archive', 'mobile-app'],
  ['application/x-msi', 'installer'],
  ['application/vnd.ms-cab-compressed', 'installer'],
  ['application/x-apple-diskimage', 'installer'],
  ['application/x-deb', 'installer'],
  ['application/x-rpm', 'installer'],
  ['application/x-ms-regedit', 'script'],
]);

/**
 * Programs, installers and scripts that the content alone does not give away (an IPA is a zip, a
 * shell script is text): risky by name, because the name is what makes a phone or a desktop run
 * them on a tap.
 */
const RISKY_EXTENSIONS: ReadonlyMap<string, FileRisk> = new Map([
  ...['exe', 'scr', 'com', 'pif', 'cpl', 'dll', 'msc', 'jar', 'class', 'app', 'elf'].map((e) => [e, 'executable'] as const),
  ...['apk', 'xapk', 'apks', 'aab', 'ipa'].map((e) => [e, 'mobile-app'] as const),
  ...['sh', 'bash', 'zsh', 'command', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'reg', 'lnk', 'scf'].map((e) => [e, 'script'] as const),
  ...['msi', 'msix', 'msixbundle', 'appx', 'appxbundle', 'dmg', 'pkg', 'mpkg', 'deb', 'rpm', 'run'].map((e) => [e, 'installer'] as const),
  ...['docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppam', 'ppsm', 'sldm'].map((e) => [e, 'macro-document'] as const),
]);

/** How much of a file without magic numbers is read to tell text from binary. */
const TEXT_PROBE_BYTES = 4096;

export async function sniff(bytes: () => Readable, name: string, size: number): Promise<Sniffed> {
  const stream = bytes();
  const detected = await fileTypeFromStream(stream).finally(() => stream.destroy());
  const extension = extensionOf(name);
  const byName = RISKY_EXTENSIONS.get(extension) ?? null;

  if (!detected) {
    const head = await readHead(bytes());
    const text = isText(head.bytes, head.cut);
    // A text file starting "#!" is a script whatever it is called.
    const risk = byName ?? (text && head.bytes.subarray(0, 2).toString('latin1') === '#!' ? 'script' : null);
    return { kind: 'file', mime: text ? 'text/plain' : 'application/octet-stream', detected: byName ? `.${extension}` : text ? 'text/plain' : 'application/octet-stream', risk };
  }

  const kind = INLINE_KINDS.get(detected.mime) ?? 'file';
  const sniffed: Sniffed = { kind, mime: detected.mime, detected: detected.mime, risk: RISKY_MIMES.get(detected.mime) ?? (detected.mime.includes('macroenabled') ? 'macro-document' : null) };
  if (isInspectable(detected.mime)) {
    // A container too damaged to read says nothing about what it holds (nor would it unpack).
    const inside = await inspectArchive(bytes, size, detected.mime).catch((): Awaited<ReturnType<typeof inspectArchive>> => ({ risk: null, names: [] }));
    // A bomb outranks everything (it is refused outright); otherwise the content's own risk first.
    if (inside.risk === 'archive-bomb' || (inside.risk && (!sniffed.risk || sniffed.risk === inside.risk))) {
      sniffed.risk = inside.risk;
      if (inside.detail) sniffed.riskDetail = inside.detail;
    }
    if (!sniffed.risk) {
      const zipped = inside.names.map((n) => RISKY_EXTENSIONS.get(extensionOf(n))).find((r) => r !== undefined);
      if (zipped) {
        sniffed.risk = zipped;
        sniffed.riskDetail = 'inside the archive';
      }
    }
  }
  sniffed.risk ??= byName;
  return sniffed;
}

/** Does the display kind of this mime let a browser render it inline? */
export function isInlineMime(mime: string): boolean {
  return INLINE_KINDS.has(mime);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).trim().toLowerCase();
}

async function readHead(stream: Readable): Promise<{ bytes: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= TEXT_PROBE_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks).subarray(0, TEXT_PROBE_BYTES), cut: length > TEXT_PROBE_BYTES };
}

function isText(head: Buffer, cut: boolean): boolean {
  if (head.includes(0)) return false;
  // The probe may cut the last character of a longer file in two: up to three bytes of it.
  const partialTail = cut ? 3 : 0;
  for (let trim = 0; trim <= partialTail; trim += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      // Try one byte shorter.
    }
  }
  return false;
}
