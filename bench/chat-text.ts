/**
 * What the load generator says. Each line is a short, ordinary chat line (so the safety
 * pipeline sees normal chat, never a link or a phone-number-like digit run) carrying a tag:
 *
 *   "[k3x9f2a 4-1c] anyone up for a match tonight"
 *
 * `k3x9f2a` is the send time in µs on the load generator's clock, base 36 (no long digit runs),
 * `4-1c` the step id and message index (base 36; joined by a hyphen, since "8t.gq5" reads as a
 * domain with a suspicious top-level domain to the link rule). Receivers read both back from the text, so
 * latency is measured on one clock whichever server relayed the message.
 */

const OPENERS = [
  'anyone up for',
  'just finished',
  'does anyone remember',
  'we should plan',
  'still thinking about',
  'quick question about',
  'loved the idea of',
  'not sure about',
  'who else is excited for',
  'can we talk about',
  'really enjoyed',
  'looking forward to',
  'had a great time at',
  'need advice on',
  'just read about',
  'any tips for',
];

const SUBJECTS = [
  'a match tonight',
  'the new album',
  'the weekend hike',
  'that final scene',
  'the meetup on saturday',
  'the book club pick',
  'the patch notes',
  'the tournament brackets',
  'the recipe from yesterday',
  'the photo contest',
  'the season finale',
  'the group trip',
  'the practice session',
  'the quiz night',
  'the garden project',
  'the next chapter',
  'the playlist',
];

const EPOCH_US = Math.round(performance.timeOrigin * 1000);

export function chatLine(sentAtMs: number, stepId: number, index: number): string {
  const stamp = (EPOCH_US + Math.round(sentAtMs * 1000)).toString(36);
  const phrase = `${OPENERS[index % OPENERS.length]} ${SUBJECTS[Math.floor(index / OPENERS.length) % SUBJECTS.length]}`;
  return `[${stamp} ${stepId.toString(36)}-${index.toString(36)}] ${phrase}`;
}

export interface Tag {
  sentAtMs: number;
  stepId: number;
  index: number;
}

const TAG = /^\[([0-9a-z]+) ([0-9a-z]+)-([0-9a-z]+)\]/;

export function readTag(text: string): Tag | undefined {
  const match = TAG.exec(text);
  if (!match) return undefined;
  return {
    sentAtMs: (parseInt(match[1]!, 36) - EPOCH_US) / 1000,
    stepId: parseInt(match[2]!, 36),
    index: parseInt(match[3]!, 36),
  };
}
