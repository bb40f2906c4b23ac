/**
 * Moderators' decisions as training lines: the JSONL that `npm run safety:export-decisions` writes
 * (`{text, label, kind: 'moderator-decision', lang, source, decidedAt}`), read back for
 * `npm run safety:train -- --include FILE`. Every line is checked, and the first bad one stops
 * training with its file and line number: a model silently trained on half a file is worse than
 * none, and the file is often edited by hand (a decision taken back, a line added).
 */
import { readFileSync } from 'node:fs';
import type { Example } from './figures.ts';

export interface DecisionExample extends Example {
  label: 'allow' | 'block' | 'hold';
  kind: 'moderator-decision';
  lang: 'zh' | 'en' | 'mixed';
  source: 'held' | 'report';
  decidedAt: string;
}

/** A line of a decisions file that cannot be trained on. `code` is stable for scripts. */
export class DecisionsFileError extends Error {
  readonly code = 'TRAINING_DECISIONS_INVALID';
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}, line ${line}: ${problem}`);
    this.name = 'DecisionsFileError';
  }
}

const LABELS = new Set(['allow', 'block', 'hold']);
const LANGS = new Set(['zh', 'en', 'mixed']);
const SOURCES = new Set(['held', 'report']);
// The texts a member can send are capped far below this; a longer "text" is a file gone wrong.
const MAX_TEXT = 10_000;

function problemOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const line = value as Record<string, unknown>;
  if (typeof line.text !== 'string' || line.text.trim() === '') return '"text" must be a non-empty string';
  if (line.text.length > MAX_TEXT) return `"text" is longer than ${MAX_TEXT} characters`;
  if (typeof line.label !== 'string' || !LABELS.has(line.label)) return `"label" must be allow, block or hold (got ${JSON.stringify(line.label)})`;
  if (line.kind !== 'moderator-decision') return `"kind" must be "moderator-decision" (got ${JSON.stringify(line.kind)}): other labelled lines belong in the shipped splits`;
  if (typeof line.lang !== 'string' || !LANGS.has(line.lang)) return `"lang" must be zh, en or mixed (got ${JSON.stringify(line.lang)})`;
  if (typeof line.source !== 'string' || !SOURCES.has(line.source)) return `"source" must be held or report (got ${JSON.stringify(line.source)})`;
  if (typeof line.decidedAt !== 'string' || Number.isNaN(Date.parse(line.decidedAt))) return `"decidedAt" must be an ISO date (got ${JSON.stringify(line.decidedAt)})`;
  return null;
}

/** Every line of the file, checked; blank lines are skipped (an editor's trailing newline). */
export function readDecisionsFile(file: string): DecisionExample[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DecisionsFileError(file, 0, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines: DecisionExample[] = [];
  content.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DecisionsFileError(file, index + 1, 'not valid JSON');
    }
    const problem = problemOf(value);
    if (problem) throw new DecisionsFileError(file, index + 1, problem);
    const line = value as DecisionExample;
    lines.push({ text: line.text, label: line.label, kind: line.kind, lang: line.lang, source: line.source, decidedAt: line.decidedAt });
  });
  return lines;
}

export interface MergedDecisions {
  /** The decisions that join the training examples, in file order. */
  added: DecisionExample[];
  /** Decisions whose text is already a labelled line (train, validation or held-out): the shipped label stands. */
  alreadyLabelled: number;
  /** Decisions on a text decided again later (in any file): the newest decision stands. */
  decidedAgain: number;
}

/**
 * The decisions to train on. A text already in the shipped splits is dropped: training on a
 * validation or held-out line would leak into the thresholds or the honest figures, and a
 * train line needs no second copy. The same text decided twice keeps its newest decision, as the
 * export does within one file.
 */
export function mergeDecisions(decisions: readonly DecisionExample[], labelledTexts: ReadonlySet<string>, keyOf: (text: string) => string): MergedDecisions {
  let alreadyLabelled = 0;
  const newest = new Map<string, DecisionExample>();
  for (const d of decisions) {
    const key = keyOf(d.text);
    if (labelledTexts.has(key)) {
      alreadyLabelled++;
      continue;
    }
    const earlier = newest.get(key);
    if (earlier && Date.parse(earlier.decidedAt) > Date.parse(d.decidedAt)) continue;
    newest.delete(key);
    newest.set(key, d);
  }
  const added = [...newest.values()];
  return { added, alreadyLabelled, decidedAgain: decisions.length - alreadyLabelled - added.length };
}
