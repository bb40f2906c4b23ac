// Evaluation of the safety pipeline on the labelled set in test/safety/dataset, through the real
// command (`tsx server/safety/cli.ts`, the same as `npm run safety`), so the figures in
// docs/safety.md come from the command and not from calling rules directly.
//
//   npx tsx test/safety/evaluate.ts            figures for tune, held-out and overall
//   npx tsx test/safety/evaluate.ts --errors   also every misclassified message
//
// The held-out files whose topic starts with `adversarial` (heldout/bad-adversarial.txt,
// heldout/benign-adversarial.txt) are also reported on their own: they were written to attack the
// rules with real evasions and real hard negatives, and are summed into neither `heldout` nor `tune`.
// Likewise the files whose topic starts with `fresh` (heldout/bad-fresh.txt, heldout/benign-fresh.txt):
// written after the adversarial fixes without reading the rules, reported on their own as `fresh`
// and summed into no other split, `overall` included (overall stays tune + held-out + adversarial).
//
// Dataset files: `<label>-<topic>.txt` (one message a line, label from the file name, `#` for
// comments) and `*.jsonl` (objects with "text", "label" and optional CLI fields such as
// "sender", "now", "room", "mentions" for messages that need context or an order).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type Label = 'benign' | 'bad';
export type Split = 'tune' | 'heldout' | 'adversarial' | 'fresh';

export interface LabelledMessage {
  id: string;
  split: Split;
  label: Label;
  text: string;
  /** Everything else passed through to the CLI line (sender, now, room, mentions…). */
  extra: Record<string, unknown>;
}

export interface Outcome extends LabelledMessage {
  action: 'allow' | 'flag' | 'hold' | 'block';
  reasons: string[];
}

export interface Figures {
  messages: number;
  benign: number;
  bad: number;
  blocked: number;
  /** Blocked messages that are labelled bad, over all blocked messages. */
  blockPrecision: number;
  /** Bad messages not plainly allowed (flag, hold or block), over all bad messages. */
  recall: number;
  /** Benign messages not plainly allowed, over all benign messages. */
  falsePositiveRate: number;
  /** Precision of "not allowed" as a whole: caught messages that are bad, over all caught. */
  caughtPrecision: number;
  actions: Record<string, { benign: number; bad: number }>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATASET = join(ROOT, 'test', 'safety', 'dataset');

export function loadDataset(): LabelledMessage[] {
  const messages: LabelledMessage[] = [];
  for (const folder of ['tune', 'heldout'] as const) {
    for (const file of readdirSync(join(DATASET, folder)).sort()) {
      const split: Split =
        folder === 'heldout' && /^(bad|benign)-adversarial/.test(file) ? 'adversarial'
        : folder === 'heldout' && /^(bad|benign)-fresh/.test(file) ? 'fresh'
        : folder;
      const lines = readFileSync(join(DATASET, folder, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        const id = `${folder}/${file}:${index + 1}`;
        if (file.endsWith('.jsonl')) {
          if (line.trim() === '') return;
          const { text, label, ...extra } = JSON.parse(line) as Record<string, unknown>;
          if (typeof text !== 'string' || (label !== 'benign' && label !== 'bad')) throw new Error(`${id}: needs text and label`);
          messages.push({ id, split, label, text, extra });
        } else if (file.endsWith('.txt')) {
          if (line.trim() === '' || line.startsWith('#')) return;
          const label = file.startsWith('bad-') ? 'bad' : file.startsWith('benign-') ? 'benign' : null;
          if (label === null) throw new Error(`${file}: name must start with bad- or benign-`);
          messages.push({ id, split, label, text: line, extra: {} });
        }
      });
    }
  }
  return messages;
}

/** Runs the messages through the CLI as one JSONL stream, in dataset order. */
export function runThroughCli(messages: LabelledMessage[]): Outcome[] {
  const input = messages.map((m) => JSON.stringify({ ...m.extra, id: m.id, text: m.text })).join('\n');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'safety', 'cli.ts')], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const verdicts = new Map<string, { action: Outcome['action']; reasons: string[] }>();
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as { id: string; action: Outcome['action']; reasons: string[]; error?: string };
    if (parsed.error) throw new Error(`CLI error for ${parsed.id}: ${parsed.error}`);
    verdicts.set(parsed.id, parsed);
  }
  return messages.map((m) => {
    const verdict = verdicts.get(m.id);
    if (verdict === undefined) throw new Error(`CLI gave no verdict for ${m.id}`);
    return { ...m, action: verdict.action, reasons: verdict.reasons };
  });
}

export function figuresOf(outcomes: Outcome[]): Figures {
  const benign = outcomes.filter((o) => o.label === 'benign');
  const bad = outcomes.filter((o) => o.label === 'bad');
  const blocked = outcomes.filter((o) => o.action === 'block');
  const caught = outcomes.filter((o) => o.action !== 'allow');
  const actions: Figures['actions'] = {};
  for (const action of ['allow', 'flag', 'hold', 'block']) {
    actions[action] = {
      benign: benign.filter((o) => o.action === action).length,
      bad: bad.filter((o) => o.action === action).length,
    };
  }
  return {
    messages: outcomes.length,
    benign: benign.length,
    bad: bad.length,
    blocked: blocked.length,
    blockPrecision: ratio(blocked.filter((o) => o.label === 'bad').length, blocked.length),
    recall: ratio(bad.filter((o) => o.action !== 'allow').length, bad.length),
    falsePositiveRate: benign.length === 0 ? 0 : benign.filter((o) => o.action !== 'allow').length / benign.length,
    caughtPrecision: ratio(caught.filter((o) => o.label === 'bad').length, caught.length),
    actions,
  };
}

export function evaluate(): { outcomes: Outcome[]; tune: Figures; heldout: Figures; adversarial: Figures; fresh: Figures; overall: Figures } {
  const outcomes = runThroughCli(loadDataset());
  return {
    outcomes,
    tune: figuresOf(outcomes.filter((o) => o.split === 'tune')),
    heldout: figuresOf(outcomes.filter((o) => o.split === 'heldout')),
    adversarial: figuresOf(outcomes.filter((o) => o.split === 'adversarial')),
    fresh: figuresOf(outcomes.filter((o) => o.split === 'fresh')),
    overall: figuresOf(outcomes.filter((o) => o.split !== 'fresh')),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = evaluate();
  const row = (name: string, f: Figures) =>
    `${name.padEnd(8)} n=${String(f.messages).padStart(4)} benign=${String(f.benign).padStart(4)} bad=${String(f.bad).padStart(4)}` +
    `  block precision=${f.blockPrecision.toFixed(3)} (${f.blocked} blocked)  recall=${f.recall.toFixed(3)}` +
    `  benign FP rate=${(f.falsePositiveRate * 100).toFixed(2)}%  caught precision=${f.caughtPrecision.toFixed(3)}`;
  console.log(row('tune', result.tune));
  console.log(row('heldout', result.heldout));
  console.log(row('advers.', result.adversarial));
  console.log(row('fresh', result.fresh));
  console.log(row('overall', result.overall));
  console.log(JSON.stringify({ tune: result.tune.actions, heldout: result.heldout.actions, adversarial: result.adversarial.actions, fresh: result.fresh.actions }));
  if (process.argv.includes('--errors')) {
    for (const o of result.outcomes) {
      const wrong = (o.label === 'bad' && o.action === 'allow') || (o.label === 'benign' && o.action !== 'allow');
      if (wrong && (process.argv.includes('--heldout') || o.split === 'tune')) {
        console.log(`${o.label === 'bad' ? 'MISS' : 'FP  '} ${o.id} ${o.action} ${o.reasons.join(',')} :: ${o.text}`);
      }
    }
  }
}
