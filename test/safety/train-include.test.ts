/**
 * `npm run safety:train -- --include FILE`: moderators' decisions (the lines
 * `npm run safety:export-decisions` writes) join the training examples. A room's own spam, which
 * the shipped data never saw, is then scored higher and stopped; a bad line stops training with
 * its file and line number and writes nothing. Trained with fewer runs to stay fast: the committed
 * model's reproduction is test/safety/model.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/project-root.ts';
import { DecisionsFileError, readDecisionsFile } from '../../server/safety/model/decisions-file.ts';
import { MODEL_DIR, TextModel } from '../../server/safety/model/model.ts';
import { decisionsToTrainOn, readSplit, trainModel, type TrainedModel } from '../../server/safety/model/train.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'quanzi-decisions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAST = { runs: 2 };
const decided = (text: string, label: 'allow' | 'block', day: number) =>
  JSON.stringify({ text, label, kind: 'moderator-decision', lang: /\p{Script=Han}/u.test(text) ? 'zh' : 'en', source: 'held', decidedAt: new Date(Date.UTC(2026, 11, day)).toISOString() });

// A fruit-stall ad one member keeps posting in a hiking room: nothing a rule or the shipped data
// knows, but the room's staff rejected it every time.
const ROOM_SPAM = [
  "Auntie Fang's orchard lychees are back! 58 a box, reply with how many boxes you want",
  "Fresh lychees from Auntie Fang's orchard, 58 per box, tell me your box count today",
  "Auntie Fang lychees restocked, still 58 a box, order before Friday by replying here",
  "Lychee season: Auntie Fang's orchard boxes at 58, reply with your number of boxes",
  "Auntie Fang's orchard has lychees again, a box is 58, just reply how many boxes",
  "Who wants Auntie Fang's lychees? 58 for a box, reply with boxes and I'll deliver",
  'Auntie Fang orchard lychees 58/box, last batch this week, reply with box count',
  "Orchard-fresh lychees, Auntie Fang's, 58 each box, reply to order, delivery Saturday",
  "Auntie Fang's lychee boxes are 58 now, reply with how many boxes for your family",
  '阿芳果园的荔枝又到了，58一箱，要几箱直接回复我',
  '阿芳家荔枝补货，一箱58，周五前回复箱数下单',
  '阿芳果园新鲜荔枝，每箱58，回复箱数送货上门',
];
const UNSEEN = "Auntie Fang's orchard lychees, 58 a box, reply how many boxes and I'll bring them";

function train(decisions: string[] = []): TrainedModel {
  if (decisions.length === 0) return trainModel(FAST);
  const file = path.join(dir, `decisions-${decisions.length}.jsonl`);
  writeFileSync(file, `${decisions.join('\n')}\n`);
  return trainModel(FAST, { decisions: readDecisionsFile(file) });
}
const modelOf = ({ bin, meta }: TrainedModel) => {
  const bytes = new Int8Array(bin.buffer, bin.byteOffset, bin.length);
  return new TextModel(meta, bytes.slice(0, bin.length / 2), bytes.slice(bin.length / 2));
};

describe('training with moderators\' decisions', () => {
  it('learns a room\'s own spam from its rejected messages, and records how many decisions it used', () => {
    const without = modelOf(train());
    const trained = train(ROOM_SPAM.map((text, i) => decided(text, 'block', i + 1)));
    const withDecisions = modelOf(trained);
    expect(trained.meta.trainedOn).toEqual({ train: readSplit('train').length, validation: readSplit('validation').length, decisions: ROOM_SPAM.length });
    expect(without.decide(UNSEEN)).toBe('allow');
    expect(withDecisions.score(UNSEEN).notAllowed).toBeGreaterThan(without.score(UNSEEN).notAllowed + 0.3);
    expect(withDecisions.decide(UNSEEN)).not.toBe('allow');
    // Ordinary talk about fruit in the same room is still chat.
    expect(withDecisions.decide('we had lychees at the summit, best snack of the whole hike')).toBe('allow');
  }, 60_000);

  it('drops decisions on texts the shipped splits already label, and keeps a text\'s newest decision', () => {
    const shipped = readSplit('validation')[0]!;
    const file = path.join(dir, 'overlapping.jsonl');
    writeFileSync(file, [decided(` ${shipped.text.toUpperCase()} `, 'block', 1), decided(ROOM_SPAM[0]!, 'block', 3), decided(ROOM_SPAM[0]!.toUpperCase(), 'allow', 2)].join('\n'));
    const merged = decisionsToTrainOn(readDecisionsFile(file));
    expect(merged).toMatchObject({ alreadyLabelled: 1, decidedAgain: 1 });
    expect(merged.added).toMatchObject([{ text: ROOM_SPAM[0], label: 'block' }]);
  });

  it('refuses a file with a bad line, naming the file and the line', () => {
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, [decided('fine line', 'allow', 1), '', JSON.stringify({ text: 'spam', label: 'spam', kind: 'moderator-decision', lang: 'en', source: 'held', decidedAt: '2026-12-01T00:00:00.000Z' })].join('\n'));
    expect(() => readDecisionsFile(file)).toThrowError(DecisionsFileError);
    expect(() => readDecisionsFile(file)).toThrowError(`${file}, line 3: "label" must be allow, block or hold (got "spam")`);
    writeFileSync(file, '{"text": "half a line",');
    expect(() => readDecisionsFile(file)).toThrowError(`${file}, line 1: not valid JSON`);
    writeFileSync(file, JSON.stringify({ text: 'no date', label: 'block', kind: 'moderator-decision', lang: 'en', source: 'held' }));
    expect(() => readDecisionsFile(file)).toThrowError(/line 1: "decidedAt" must be an ISO date/);
  });

  it('stops `npm run safety:train -- --include` on a bad line before writing any model', async () => {
    const file = path.join(dir, 'bad-cli.jsonl');
    writeFileSync(file, `${decided('fine line', 'allow', 1)}\n${JSON.stringify({ text: '', label: 'block', kind: 'moderator-decision', lang: 'en', source: 'held', decidedAt: '2026-12-01T00:00:00.000Z' })}\n`);
    const before = readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8');
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/safety/model/train.ts', '--include', file], { cwd: PROJECT_ROOT });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`TRAINING_DECISIONS_INVALID: ${file}, line 2: "text" must be a non-empty string`) });
    expect(readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8')).toBe(before);
  }, 60_000);
});
