// The trained model as one signal among the rules' (issue #18). The rules say exactly what they
// saw (a look-alike domain, a resident ID, "加V"); the model says how much the whole message reads
// like the refused ones it was trained on. Neither decides alone where it is weak:
//
// - a high score alone may hold (a person looks before anyone is harmed); blocking needs a
//   very high score, or a high one beside a content rule's finding;
// - a rule's flag next to a high score becomes a hold (an "add me on WeChat" inside a pitch);
// - a judgement rule's hold (scam vocabulary, a brand name in a host) next to a score that says "ordinary chat" is softened to a flag, and its
//   block to a hold unless the model agrees. Exact findings (phishing tricks with a fixed action,
//   deny lists, checksummed IDs, the room's own keywords, rate and flood) are never softened.
//
// The thresholds are chosen on the validation split by `npm run safety:train` and stored with
// the model (model.json → combination), so they move with the model they were measured on.

import type { NormalizedText } from './normalize.ts';
import type { CombinationThresholds, ModelScore, TextModel } from './model/model.ts';
import { finding } from './reasons.ts';
import type { SafetyReason, Strictness } from './types.ts';

/**
 * Texts shorter than this (compact characters) are left to the rules: a few characters are too
 * little to read ("where r u", a random gamer tag). Names and titles are short by nature and carry
 * little sentence, so the model reads only long ones ("加V xiutu888 日入三百" is the rules' job).
 */
export const MODEL_MIN_CHARS = { message: 6, other: 20 } as const;

/** Findings whose action is a judgement the model may soften. Everything else stays as the rule said. */
// Privacy, disguised links and contact stand-ins stay exact: what they found is there whatever the
// rest of the message says.
const JUDGEMENT_CODES: ReadonlySet<string> = new Set([
  'SCAM_CONTACT_OFFPLATFORM', 'SCAM_TASK_BRUSHING', 'SCAM_INVESTMENT', 'SCAM_GAMBLING', 'SCAM_FAKE_SERVICE', 'SCAM_ADULT', 'SCAM_GIVEAWAY',
  'LINK_BRAND_IMPERSONATION', 'LINK_MIXED_SCRIPT', 'LINK_SUSPICIOUS_TLD',
]);

/**
 * Rules whose findings are evidence about the text itself (not about the sender's pace). Privacy
 * is not among them: a phone number is most often the sender's own ("有事打我手机 138…"), and the
 * room chose what happens to it (privacyAction), so the model neither softens nor hardens it.
 */
const CONTENT_RULES: ReadonlySet<string> = new Set(['links', 'scam', 'keywords']);

export interface ModelSignalInput {
  reasons: SafetyReason[];
  score: ModelScore;
  thresholds: CombinationThresholds;
  strictness: Strictness;
  /** Names the features behind the score; called only when the model's own reason is added. */
  explain: (head: 'notAllowed' | 'block') => string;
}

/** The rules' reasons with the model's weighed in: softened judgements, and the model's own reason when it speaks. */
export function weighModel({ reasons, score, thresholds: t, strictness, explain }: ModelSignalInput): SafetyReason[] {
  if (strictness === 'off') return reasons;
  const weighed = reasons.map((reason) => soften(reason, score, t));
  // Beside a rule's finding the model raises it one step at most: a flag may become a hold, a hold
  // a block. A flag straight to a block ("有事加我微信 abc_12345", which the rules only flag) blocked
  // moves to off-platform contact that a person should look at.
  const evidence = weighed.filter((r) => CONTENT_RULES.has(r.rule));
  const holdEvidence = evidence.length > 0;
  const blockEvidence = evidence.some((r) => r.action === 'hold' || r.action === 'block');

  let own: SafetyReason | null = null;
  if (score.block >= t.block || (blockEvidence && score.block >= t.blockWithEvidence)) {
    own = finding('MODEL_HARMFUL', 'block', strictness, { detail: describe(score.block, explain('block')) });
  } else if (score.notAllowed >= t.hold || (holdEvidence && score.notAllowed >= t.holdWithEvidence)) {
    own = finding('MODEL_SUSPICIOUS', 'hold', strictness, { detail: describe(score.notAllowed, explain('notAllowed')) });
  }
  if (own) weighed.push(own);
  return weighed;
}

function soften(reason: SafetyReason, score: ModelScore, t: CombinationThresholds): SafetyReason {
  if (!JUDGEMENT_CODES.has(reason.code)) return reason;
  if (reason.action !== 'block' && reason.action !== 'hold') return reason;
  if (score.notAllowed < t.clear) return { ...reason, action: 'flag', detail: softened(reason, 'the model reads it as ordinary chat') };
  if (reason.action === 'block' && score.block < t.keepBlock) return { ...reason, action: 'hold', detail: softened(reason, 'the model does not confirm a block') };
  return reason;
}

function softened(reason: SafetyReason, why: string): string {
  return reason.detail ? `${reason.detail}; ${why}` : why;
}

function describe(score: number, features: string): string {
  return `score ${score.toFixed(2)}${features ? `; weighed most: ${features}` : ''}`;
}

/** "验证码, send me, 6位": the features behind a score, as staff read them. */
export function explainScore(model: TextModel, text: NormalizedText, head: 'notAllowed' | 'block'): string {
  return model
    .explain(text, head)
    .map((f) => f.feature)
    .join(', ');
}
