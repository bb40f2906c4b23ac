// A "skeleton" of a domain label: the string it looks like to a reader. Two labels with the
// same skeleton are visually confusable (Unicode TS #39 calls this the confusable skeleton; this
// is the small subset that matters for domain spoofing): Cyrillic і and Latin i, digit 1 and
// letter l, "rn" and "m".

import { foldText } from '../normalize.ts';

// One pass over the label. Equivalent to replacing rn→m, vv→w, [1il|!]→l, 0→o, 5→s and dropping
// "-" one after another, since no replacement creates a pair an earlier step would have taken.
const CONFUSABLE = /rn|vv|[1il|!05-]/g;
const SKELETON_CHAR: Readonly<Record<string, string>> = { rn: 'm', vv: 'w', '1': 'l', i: 'l', l: 'l', '|': 'l', '!': 'l', '0': 'o', '5': 's', '-': '' };
// Plain lower-case ASCII labels (nearly all of them) are already folded.
const PLAIN_LABEL = /^[a-z0-9-]*$/;

export function skeletonOf(label: string): string {
  const folded = PLAIN_LABEL.test(label) ? label : foldText(label);
  return folded.replace(CONFUSABLE, (pair) => SKELETON_CHAR[pair]!);
}

const LATIN = /[a-z\u00c0-\u024f]/;
const OTHER_LOOKALIKE_SCRIPT = /[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]/;

/** Latin mixed with Greek or Cyrillic inside one label: never legitimate in practice. */
export function mixesScripts(label: string): boolean {
  return LATIN.test(label) && OTHER_LOOKALIKE_SCRIPT.test(label);
}

/**
 * One typo apart (substitution, insertion, deletion or swap of neighbours): "githuh", "bilibil",
 * "zhiihu". Typosquats of short names are too likely to be real, unrelated sites, so callers
 * only use this for names of six letters or more.
 */
export function isOneTypoAway(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i);
}
