/**
 * The model beside the rules (server/safety/model-signal.ts) through the pipeline: what it
 * adds, what it softens, what it never touches, and the reason staff read.
 */
import { describe, expect, it } from 'vitest';
import { weighModel } from '../../server/safety/model-signal.ts';
import { createSafetyPipeline, verdictOf } from '../../server/safety/pipeline.ts';
import type { SafetyReason } from '../../server/safety/types.ts';
import { check, codes } from './harness.ts';

const pipeline = createSafetyPipeline();
const withModel = (text: string, policy: any = {}) => check(text, { pipeline, policy: { ...policy, rules: { model: 'standard', ...policy.rules } } });
const thresholds = { hold: 0.9, block: 0.98, blockWithEvidence: 0.8, holdWithEvidence: 0.6, clear: 0.1, keepBlock: 0.5 };
const scamFinding: SafetyReason = { code: 'SCAM_INVESTMENT', rule: 'scam', message: 'm', action: 'hold' };
const exactFinding: SafetyReason = { code: 'LINK_USERINFO_TRICK', rule: 'links', message: 'm', action: 'block' };
const weigh = (reasons: SafetyReason[], notAllowed: number, block: number) =>
  verdictOf(weighModel({ reasons, score: { notAllowed, block }, thresholds, strictness: 'standard', explain: () => '验证码, send me' }));

describe('the model as one signal among the rules', () => {
  it('holds on a high score alone, and blocks alone only on a very high one', () => {
    expect(weigh([], 0.95, 0.5)).toMatchObject({ action: 'hold', reasons: [{ code: 'MODEL_SUSPICIOUS' }] });
    expect(weigh([], 0.95, 0.9).action).toBe('hold');
    expect(weigh([], 0.99, 0.99)).toMatchObject({ action: 'block', reasons: [{ code: 'MODEL_HARMFUL' }] });
  });

  it('blocks on a high score beside a content rule\'s finding, and turns its flag into a hold', () => {
    expect(weigh([scamFinding], 0.7, 0.85).action).toBe('block');
    expect(weigh([{ ...scamFinding, action: 'flag' }], 0.7, 0.1).action).toBe('hold');
    expect(weigh([{ ...scamFinding, action: 'flag' }], 0.3, 0.1).action).toBe('flag');
  });

  it('leaves a privacy finding as the room chose it: a phone number is most often the sender\'s own', () => {
    const phone: SafetyReason = { code: 'PRIVACY_PHONE', rule: 'privacy', message: 'm', action: 'flag' };
    expect(weigh([phone], 0.7, 0.85)).toMatchObject({ action: 'flag', reasons: [{ code: 'PRIVACY_PHONE' }] });
    expect(weigh([{ ...phone, action: 'hold' }], 0.7, 0.85).action).toBe('hold');
  });

  it('softens a judgement the model reads as ordinary chat, never an exact finding', () => {
    expect(weigh([scamFinding], 0.05, 0.01)).toMatchObject({ action: 'flag', reasons: [{ code: 'SCAM_INVESTMENT', detail: expect.stringContaining('ordinary chat') }] });
    expect(weigh([{ ...scamFinding, action: 'block' }], 0.5, 0.2).action).toBe('hold');
    expect(weigh([exactFinding], 0.01, 0.01).action).toBe('block');
    expect(weigh([{ ...exactFinding, code: 'PRIVACY_RESIDENT_ID', rule: 'privacy', action: 'hold' }], 0.01, 0.01).action).toBe('hold');
  });

  it('names the score and the features that weighed most, for staff', () => {
    const verdict = withModel('Hey I accidentally sent my verification code to your number, could you forward me the 6 digits real quick?');
    const reason = verdict.reasons.find((r) => r.rule === 'model');
    expect(reason?.code).toMatch(/^MODEL_/);
    expect(reason?.detail).toMatch(/^score [01]\.\d\d; weighed most: .+, .+/);
    // The sender's message never quotes the detail.
    expect(reason?.message).not.toContain('weighed');
  });

  it('stops what the rules alone let through, and lets through what they wrongly stopped', () => {
    const otp = 'Hey I accidentally sent my verification code to your number, could you forward me the 6 digits real quick?';
    expect(check(otp).action).toBe('allow');
    expect(withModel(otp).action).not.toBe('allow');
    const quotedScam = 'lol the spam bot earlier literally said "guaranteed 8% daily returns" who falls for that';
    expect(withModel(quotedScam).action).toBe('allow');
  });

  it('is one rule of the room\'s policy: off, it says nothing; exempt staff are not scored', () => {
    const otp = 'Hey I accidentally sent my verification code to your number, could you forward me the 6 digits real quick?';
    expect(withModel(otp, { rules: { model: 'off' } }).action).toBe('allow');
    expect(check(otp, { pipeline, role: 'owner' }).action).toBe('allow');
    expect(codes(withModel('今晚9点 de_dust2 开黑，五缺一'))).toEqual([]);
  });
});
