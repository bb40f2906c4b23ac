/**
 * What a file is, from its bytes (magic numbers via `file-type`), never from its name: a
 * `photo.jpg` that is really a Windows program is a Windows program. The name only ever adds a
 * refusal (an installer zipped under its own extension), never a permission.
 */
import type { Readable } from 'node:stream';
import { fileTypeFromStream } from 'file-type';

export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

export type Sniffed = { refused: false; kind: AttachmentKind; mime: string } | { refused: true; detected: string };

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

/** Programs and installers: refused whatever they are named. */
const REFUSED_MIMES: ReadonlySet<string> = new Set([
  'application/x-msdownload',
  'application/x-dosexec',
  'application/x-elf',
  'application/x-mach-binary',
  'application/vnd.android.package-archive',
  'application/x-msi',
  'application/vnd.ms-cab-compressed',
  'application/x-apple-diskimage',
]);

/**
 * Installers and scripts that the content alone does not give away (an APK or IPA is a zip, a
 * shell script is text): refused by name, because the name is what makes a phone or a desktop
 * run them on a tap.
 */
const REFUSED_EXTENSIONS: ReadonlySet<string> = new Set(['apk', 'xapk', 'ipa', 'exe', 'scr', 'bat', 'cmd', 'ps1', 'msi', 'sh', 'com', 'vbs', 'jar', 'dmg', 'app']);

/** How much of a file without magic numbers is read to tell text from binary. */
const TEXT_PROBE_BYTES = 4096;

export async function sniff(bytes: () => Readable, name: string): Promise<Sniffed> {
  const stream = bytes();
  const detected = await fileTypeFromStream(stream).finally(() => stream.destroy());
  const extension = extensionOf(name);
  if (detected && REFUSED_MIMES.has(detected.mime)) return { refused: true, detected: detected.mime };
  if (REFUSED_EXTENSIONS.has(extension)) return { refused: true, detected: detected?.mime ?? `.${extension}` };
  if (detected) return { refused: false, kind: INLINE_KINDS.get(detected.mime) ?? 'file', mime: detected.mime };
  return { refused: false, kind: 'file', mime: (await looksLikeText(bytes())) ? 'text/plain' : 'application/octet-stream' };
}

/** Does the display kind of this mime let a browser render it inline? */
export function isInlineMime(mime: string): boolean {
  return INLINE_KINDS.has(mime);
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).trim().toLowerCase();
}

async function looksLikeText(stream: Readable): Promise<boolean> {
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
  const head = Buffer.concat(chunks).subarray(0, TEXT_PROBE_BYTES);
  if (head.includes(0)) return false;
  // The probe may cut the last character of a longer file in two: up to three bytes of it.
  const partialTail = length > TEXT_PROBE_BYTES ? 3 : 0;
  for (let cut = 0; cut <= partialTail; cut += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // Try one byte shorter.
    }
  }
  return false;
}
