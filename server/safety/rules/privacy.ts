// Rule "privacy": personal data posted into a group, usually by someone who does not realise
// the room is public or who is being pressured ("send me your ID to verify"). Only identifiers
// that validate (ID checksum, Luhn) or have an unmistakable shape count, so order numbers,
// ISBNs and timestamps pass.

import { isValidResidentId, passesLuhn } from '../privacy/checksums.ts';
import { finding, type ReasonCode } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';
import type { SafetyReason, Strictness } from '../types.ts';

// Digits joined by at most one space or hyphen ("138 1234 5678", "6222-0212-…"), optionally an
// ID's trailing X. Not glued to letters, so URL paths and model names (bv1xx411…) are skipped.
const DIGIT_RUN = /(?<![a-z0-9_/=.%-])(?:\+\s?)?\d(?:[ -]?\d)*(?:[ -]?x)?(?![a-z0-9])/g;
// Not after "//": "https://bilibili.com@evil.example" is a link trick, not an address.
const EMAIL = /(?<![/a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/;
const MOBILE = /^(?:0086|86)?1[3-9]\d{9}$/;
// Words right before a number that say what it is not.
const NOT_PERSONAL = /(?:订单|单号|运单|快递|物流|编号|流水|交易号|工单|工号|学号|order|tracking|isbn|invoice|ticket|ref|case|uid|av|bv)[^\d]{0,6}$/;
const CARD_CONTEXT = /(?:卡号|银行卡|储蓄卡|信用卡|借记卡|工行|建行|农行|中行|招行|收款|转账|汇款|打款|账号|帐号|card|account)/;

export const privacyRule: SafetyRule = {
  name: 'privacy',
  exemptible: true,
  check({ text, ctx, strictness }) {
    if (strictness === 'off') return [];
    const folded = text.folded;
    const codes = new Set<ReasonCode>();
    if (folded.includes('@') && EMAIL.test(folded)) codes.add('PRIVACY_EMAIL');
    if (/\d{8}/.test(text.compact)) {
      DIGIT_RUN.lastIndex = 0;
      for (let match = DIGIT_RUN.exec(folded); match !== null; match = DIGIT_RUN.exec(folded)) {
        const code = classifyNumber(match[0], folded.slice(Math.max(0, match.index - 16), match.index), strictness);
        if (code !== null) codes.add(code);
      }
    }
    const action = strictness === 'lenient' ? 'flag' : ctx.policy.privacyAction;
    // An e-mail address is most often a business's or the sender's own ("CV to jobs@studio.com"):
    // staff are told, and only strict rooms hold it like a phone or ID number.
    const emailAction = strictness === 'strict' ? action : 'flag';
    // The room chose the action explicitly (privacyAction), so strictness does not shift it further.
    return present([...codes].map((code): SafetyReason | null => finding(code, code === 'PRIVACY_EMAIL' ? emailAction : action, strictness, { fixed: true })));
  },
};

function classifyNumber(run: string, before: string, strictness: Strictness): ReasonCode | null {
  const grouped = /[ -]/.test(run.trim());
  const digits = run.replace(/[^\dx]/g, '');
  if (digits.length < 11 || digits.length > 19) return null;
  if (NOT_PERSONAL.test(before)) return null;
  if (digits.length === 18 && isValidResidentId(digits.toUpperCase())) return 'PRIVACY_RESIDENT_ID';
  if (digits.includes('x')) return null;
  if (MOBILE.test(digits)) return 'PRIVACY_PHONE';
  if (digits.length >= 16 && passesLuhn(digits)) {
    // One random number in ten passes Luhn, so a bare long number needs a second sign of being a
    // card: card-style grouping, a card word nearby, or UnionPay's 62 prefix. Strict rooms skip this.
    if (strictness === 'strict' || grouped || CARD_CONTEXT.test(before) || digits.startsWith('62')) return 'PRIVACY_BANK_CARD';
  }
  return null;
}
