/**
 * `npm run safety:evaluate`: the figures of issue #18 on each labelled split, for the rules alone,
 * the model alone and the two combined as the server runs them (pipeline.ts → model-signal.ts).
 * The held-out split (heldout.jsonl) was written after train and validation, before the model was
 * wired in or its thresholds chosen, and is never trained or tuned on: its row is the honest one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../project-root.ts';
import { createSafetyPipeline } from '../pipeline.ts';
import { resolvePolicy } from '../policy.ts';
import type { SafetyAction } from '../types.ts';
import { rulesAloneOn } from './combination-search.ts';
import { loadModel } from './model.ts';
import { figuresOf, type Example, type Figures } from './figures.ts';
import { readSplit } from './train.ts';

export type SplitName = 'train' | 'validation' | 'heldout' | 'ordinary-chat';

/** test/safety/dataset/ordinary-chat.jsonl: short group chat, all `allow`, never trained or tuned on. */
function readOrdinaryChat(): Example[] {
  return readFileSync(path.join(PROJECT_ROOT, 'test', 'safety', 'dataset', 'ordinary-chat.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Example);
}

export interface SplitFigures {
  rules: Figures;
  model: Figures;
  combined: Figures;
}

/** The combined pipeline as the server builds it for a room of the default policy (the model on), one sender a message (so rate and flood stay out of it). */
export function combinedOn(texts: readonly string[], rules: Record<string, string> = {}): SafetyAction[] {
  const pipeline = createSafetyPipeline();
  const policy = resolvePolicy({ rules: { model: 'standard', ...rules } });
  const now = Date.UTC(2026, 0, 1);
  return texts.map((text, i) => pipeline.check({ text }, { roomId: 'evaluation', sender: { id: `sender-${i}`, role: 'member', joinedAt: new Date(0) }, policy, now: now + i * 1000 }).action);
}

export function evaluateSplit(name: SplitName): SplitFigures {
  const examples = name === 'ordinary-chat' ? readOrdinaryChat() : readSplit(name);
  const model = loadModel();
  if (!model) throw new Error('no trained model: run npm run safety:train');
  const rules = rulesAloneOn(examples);
  const combined = combinedOn(examples.map((e) => e.text));
  return {
    rules: figuresOf(examples, (_t, i) => rules[i]!.action),
    model: figuresOf(examples, (text) => model.decide(text)),
    combined: figuresOf(examples, (_t, i) => combined[i]!),
  };
}

/** A line of test/safety/dataset/harassment/: insults and their hard negatives (banter, self-mockery, quoted reports). */
interface HarassmentExample {
  text: string;
  label: 'harassment' | 'allow';
  kind: string;
  lang: string;
}

export interface HarassmentFigures {
  messages: number;
  /** Harassment the pipeline flagged to staff or stopped. */
  caught: number;
  /** Harassment it held or blocked (a standard room holds abuse and threats, flags insults). */
  stopped: number;
  /** Hard negatives flagged to staff (delivered). */
  benignFlagged: number;
  /** Hard negatives held or blocked. */
  benignStopped: number;
}

/**
 * Harassment on its own split (issue #18, item 11): `tuning` the rule was written against, `fresh`
 * written afterwards by someone who had read neither the rule nor the other data.
 */
export function evaluateHarassment(split: 'tuning' | 'fresh', level: 'standard' | 'strict' = 'standard'): HarassmentFigures {
  const examples = readFileSync(path.join(PROJECT_ROOT, 'test', 'safety', 'dataset', 'harassment', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HarassmentExample);
  const actions = combinedOn(examples.map((e) => e.text), { harassment: level });
  const ratio = (count: number, of: number) => (of === 0 ? 1 : Math.round((count / of) * 1000) / 1000);
  const bad = examples.flatMap((e, i) => (e.label === 'harassment' ? [actions[i]!] : []));
  const benign = examples.flatMap((e, i) => (e.label === 'allow' ? [actions[i]!] : []));
  const stops = (a: SafetyAction) => a === 'hold' || a === 'block';
  return {
    messages: examples.length,
    caught: ratio(bad.filter((a) => a !== 'allow').length, bad.length),
    stopped: ratio(bad.filter(stops).length, bad.length),
    benignFlagged: ratio(benign.filter((a) => a === 'flag').length, benign.length),
    benignStopped: ratio(benign.filter(stops).length, benign.length),
  };
}

function main(): void {
  const columns = ['blockPrecision', 'blockRecall', 'notAllowedRecall', 'benignFalsePositives'] as const;
  console.log(`split         signal    n     ${columns.join('  ')}`);
  for (const split of ['train', 'validation', 'heldout', 'ordinary-chat'] as const) {
    const figures = evaluateSplit(split);
    for (const signal of ['rules', 'model', 'combined'] as const) {
      const f = figures[signal];
      console.log(`${split.padEnd(13)} ${signal.padEnd(9)} ${String(f.messages).padEnd(5)} ${columns.map((c) => String(f[c].toFixed(3)).padStart(c.length)).join('  ')}`);
    }
  }
  const harassmentColumns = ['caught', 'stopped', 'benignFlagged', 'benignStopped'] as const;
  console.log(`\nharassment    rule      n     ${harassmentColumns.join('  ')}`);
  for (const split of ['tuning', 'fresh'] as const) {
    for (const level of ['standard', 'strict'] as const) {
      const f = evaluateHarassment(split, level);
      console.log(`${split.padEnd(13)} ${level.padEnd(9)} ${String(f.messages).padEnd(5)} ${harassmentColumns.map((c) => f[c].toFixed(3).padStart(c.length)).join('  ')}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
