/**
 * When unpacking a file is an attack: the limits every container check applies alike, whether the
 * sizes were declared (a zip's table of contents, a tar's headers) or seen (a gzip unpacked as far
 * as server/media/compressed.ts goes).
 */

/** What makes a file risky to open, from its content or its name (see sniff.ts). */
export type FileRisk = 'executable' | 'mobile-app' | 'script' | 'installer' | 'macro-document' | 'encrypted-archive' | 'archive-bomb';

export interface ArchiveFindings {
  risk: FileRisk | null;
  /** Why, for reviewers and logs (never shown to members). */
  detail?: string;
  /** Entry names, for the caller's own name checks (an installer zipped under its own name). */
  names: string[];
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** Unpacked sizes beyond this are bombs: no attachment legitimately unpacks to more. */
export const MAX_UNCOMPRESSED_BYTES = 16 * GIB;
/**
 * A ratio this high is only reached by repeated filler (text compresses about 10×, photos 1×); a
 * small file may do it harmlessly (a log of zeros), so it counts only past a size that hurts.
 */
export const MAX_RATIO = 100;
export const RATIO_APPLIES_ABOVE = 64 * MIB;

/** `unpacked` bytes from `packed`: a bomb, and why, or null. */
export function bombOf({ unpacked, packed }: { unpacked: number; packed: number }): { risk: 'archive-bomb'; detail: string } | null {
  if (unpacked > MAX_UNCOMPRESSED_BYTES) return { risk: 'archive-bomb', detail: `unpacks to ${Math.round(unpacked / GIB)} GiB` };
  if (unpacked > RATIO_APPLIES_ABOVE && unpacked / Math.max(1, packed) > MAX_RATIO) {
    return { risk: 'archive-bomb', detail: `unpacks to ${Math.round(unpacked / Math.max(1, packed))}× its size` };
  }
  return null;
}
