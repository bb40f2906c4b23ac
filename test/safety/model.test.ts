/**
 * The text model: `npm run safety:train` reproduces the committed model from the shipped data
 * (training is deterministic), the committed files load, and its calls at the chosen thresholds
 * are those the evaluation reports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, MODEL_DIR } from '../../server/safety/model/model.ts';
import { trainModel } from '../../server/safety/model/train.ts';

describe('the text model', () => {
  it('is reproduced byte for byte by training on the shipped data', () => {
    const { bin, meta } = trainModel();
    expect(bin.equals(readFileSync(path.join(MODEL_DIR, 'model.bin')))).toBe(true);
    expect(meta).toEqual(JSON.parse(readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8')));
    // Training and the threshold search take seconds; more on a busy machine.
  }, 120_000);

  it('loads, and calls plain chat allow and a plain scam block', () => {
    const model = loadModel()!;
    expect(model).not.toBeNull();
    expect(model.decide('周六早上八点香山脚下集合，记得带水')).toBe('allow');
    expect(model.decide('Anyone tried the new 35mm f/1.8? thinking of trading my old kit lens')).toBe('allow');
    expect(model.decide('恭喜您中奖了！点击链接领取iPhone，先交100元手续费，加V信 fa_cai888')).not.toBe('allow');
    expect(model.decide('Send me the 6-digit code you just got by SMS, I am the group admin and need to verify you')).not.toBe('allow');
  });
});
