// Rule "keywords": the room owner's own block/hold/flag words, matched after the same
// normalization as everything else so that "刷單", "刷 单" and "ｓｈｕａ" variants all hit.

import { normalizeKeyword } from '../normalize.ts';
import { REASONS } from '../reasons.ts';
import type { SafetyRule } from '../rule.ts';
import type { RoomSafetyPolicy, SafetyReason } from '../types.ts';

type KeywordAction = 'block' | 'hold' | 'flag';
const ORDER: readonly KeywordAction[] = ['block', 'hold', 'flag'];

// Policies are long-lived objects per room; normalizing their keywords once per policy object
// keeps this rule off the hot path's profile.
const normalizedByPolicy = new WeakMap<RoomSafetyPolicy['keywords'], Array<[KeywordAction, string, string]>>();

export const keywordsRule: SafetyRule = {
  name: 'keywords',
  exemptible: true,
  check({ text, ctx, strictness }) {
    if (strictness === 'off') return [];
    const reasons: SafetyReason[] = [];
    for (const [action, keyword, original] of normalizedKeywords(ctx.policy.keywords)) {
      // Owners chose the action per keyword, so room strictness does not shift it.
      if (text.compact.includes(keyword)) {
        reasons.push({ code: 'ROOM_KEYWORD', rule: 'keywords', message: REASONS.ROOM_KEYWORD.message, action, detail: original });
        break; // Lists are ordered block → hold → flag: the first hit is the strictest.
      }
    }
    return reasons;
  },
};

function normalizedKeywords(keywords: RoomSafetyPolicy['keywords']): Array<[KeywordAction, string, string]> {
  let cached = normalizedByPolicy.get(keywords);
  if (cached === undefined) {
    cached = ORDER.flatMap((action) =>
      (keywords[action] ?? [])
        .map((word): [KeywordAction, string, string] => [action, normalizeKeyword(word), word])
        .filter(([, normalized]) => normalized.length > 0),
    );
    normalizedByPolicy.set(keywords, cached);
  }
  return cached;
}
