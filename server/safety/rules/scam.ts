// Rule "scam": scam and spam pitches by category (order brushing, investment, gambling, fake
// customer service, adult), plus requests to move the conversation off-platform, which is how
// nearly every one of them continues. A message that warns about a scam quotes the same words,
// so warning cues downgrade the result instead of being treated as the pitch.

import { KNOWN_SITES } from '../links/site-lists.ts';
import { finding } from '../reasons.ts';
import { present, type SafetyRule } from '../rule.ts';
import {
  CONTACT_HANDLE,
  CONTACT_REQUEST_CJK,
  CONTACT_REQUEST_EN,
  CONTACT_SOFT_CJK,
  CONTACT_SOFT_EN,
  SCAM_CATEGORIES,
  type ScamCategory,
} from '../scam/vocabulary.ts';
import { isWarning } from '../scam/warning.ts';
import type { SafetyReason } from '../types.ts';

type FindingAction = 'flag' | 'hold' | 'block';

export const scamRule: SafetyRule = {
  name: 'scam',
  exemptible: true,
  check({ text, links, strictness }) {
    if (strictness === 'off') return [];
    const { compact, folded } = text;
    const hasHandle = CONTACT_HANDLE.test(folded);
    const asksContact = hasHandle || CONTACT_REQUEST_CJK.test(compact) || CONTACT_REQUEST_CJK.test(folded) || CONTACT_REQUEST_EN.test(folded);
    const softContact = CONTACT_SOFT_CJK.test(compact) || CONTACT_SOFT_EN.test(folded);
    const offsiteLink = links().some((link) => link.domain === null || !KNOWN_SITES.has(link.domain));
    const leadsAway = asksContact || softContact || offsiteLink;

    const found: Array<{ code: ScamCategory['code']; action: FindingAction }> = [];
    for (const category of SCAM_CATEGORIES) {
      const strongCjk = compact.match(category.strongCjk);
      const strongEn = folded.match(category.strongEn);
      const strong = strongCjk !== null || strongEn !== null;
      // Weak words inside the strong phrase ("赌" in "网赌") are not a second, independent signal.
      const weak =
        countDistinct(category.weakCjk, strongCjk ? compact.replace(strongCjk[0], ' ') : compact) +
        countDistinct(category.weakEn, strongEn ? folded.replace(strongEn[0], ' ') : folded);
      const triggered = strong || (weak >= 1 && leadsAway) || weak >= category.weakAlone;
      if (!triggered) continue;
      const severe = (strong && (leadsAway || weak >= 1)) || (weak >= 1 && asksContact) || (weak >= 2 && leadsAway);
      found.push({ code: category.code, action: severe ? 'block' : 'hold' });
    }
    if (asksContact) {
      // Alone, an invitation to add someone on WeChat is common but worth an admin's glance;
      // next to a pitch it is the pitch's call to action and shares its action.
      const action = found.length > 0 ? strictestOf(found.map((f) => f.action)) : 'flag';
      found.unshift({ code: 'SCAM_CONTACT_OFFPLATFORM', action });
    }
    if (found.length === 0) return [];

    if (isWarning(text)) {
      // Someone quoting a scam to warn others. Keep an admin's eye on it only when a concrete
      // handle is present (a spammer's "beware of scams, add me: xyz"); otherwise let it through.
      if (!hasHandle) return [];
      return present(found.map((f) => finding(f.code, 'flag', strictness, { detail: 'warning context' })));
    }
    return present(found.map((f): SafetyReason | null => finding(f.code, f.action, strictness)));
  },
};

// exec() on the shared global regex rather than matchAll(): matchAll clones the regex on every
// call, which costs more than the match itself on short chat messages.
function countDistinct(pattern: RegExp, text: string): number {
  let first: string | undefined;
  let seen: Set<string> | undefined;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (first === undefined) first = match[0];
    else if (match[0] !== first) (seen ??= new Set([first])).add(match[0]);
  }
  return seen ? seen.size : first === undefined ? 0 : 1;
}

function strictestOf(actions: FindingAction[]): FindingAction {
  return actions.includes('block') ? 'block' : actions.includes('hold') ? 'hold' : 'flag';
}
