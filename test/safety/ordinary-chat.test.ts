/**
 * Ordinary short chat and the model: the two sets it must let through.
 *
 * - `dataset/ordinary-chat.jsonl`: greetings, short replies, plans, mentions, links, honest gear
 *   sales and scam warnings as interest groups write them, never trained or tuned on. The
 *   combined pipeline stops at most 1 % of it (the benign target).
 * - `dataset/project-chat.txt`: the ordinary texts the project's own tests send. The model may
 *   hold or block none of them, from a long-standing member or from someone who just joined.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSafetyPipeline } from '../../server/safety/pipeline.ts';
import { actionRank } from '../../server/safety/policy.ts';
import { check } from './harness.ts';

const DATASET = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dataset');
const ordinary = readFileSync(path.join(DATASET, 'ordinary-chat.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { text: string; label: string });
const projectChat = readFileSync(path.join(DATASET, 'project-chat.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

const withModel = createSafetyPipeline();
const MODEL_ON = { rules: { model: 'standard' } };
const stopped = (action: string) => action === 'hold' || action === 'block';

describe('ordinary chat with the model on', () => {
  it('is a real set: short and longer lines, English and Chinese, all labelled allow', () => {
    expect(ordinary.length).toBeGreaterThanOrEqual(150);
    expect(ordinary.every((e) => e.label === 'allow')).toBe(true);
    expect(projectChat.length).toBeGreaterThanOrEqual(150);
  });

  it('stops at most 1 % of the ordinary-chat set', () => {
    const held = ordinary.filter((e) => stopped(check(e.text, { pipeline: withModel, policy: MODEL_ON }).action)).map((e) => e.text);
    expect(held.length / ordinary.length, held.join(' | ')).toBeLessThanOrEqual(0.01);
  });

  it.each([
    ['a long-standing member', 86_400 * 30],
    ['someone who just joined', 5],
  ])('holds or blocks none of the chat the project\'s tests send, from %s', (_who, joinedSecondsAgo) => {
    const worse: string[] = [];
    for (const text of projectChat) {
      const rules = check(text, { joinedSecondsAgo });
      const combined = check(text, { joinedSecondsAgo, pipeline: withModel, policy: MODEL_ON });
      const modelStops = combined.reasons.some((r) => r.rule === 'model' && stopped(r.action));
      if (modelStops || actionRank(combined.action) > actionRank(rules.action)) worse.push(`${text} → ${combined.action}`);
    }
    expect(worse).toEqual([]);
  });

  it('reads an @mention of a member as someone mentioned, whatever the username looks like', () => {
    let seed = 18;
    const hex = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32).toString(16).slice(2, 12).padEnd(10, '0');
    const stoppedTexts: string[] = [];
    for (let i = 0; i < 100; i++) {
      for (const text of [`@u_${hex()} and @u_${hex()}, see you at @nobody_here tomorrow`, `大家好 @u_${hex()}`, `@u_${hex()} 明天几点集合？`]) {
        if (stopped(check(text, { pipeline: withModel, policy: MODEL_ON }).action)) stoppedTexts.push(text);
      }
    }
    expect(stoppedTexts).toEqual([]);
  });
});
