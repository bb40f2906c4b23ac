// Rule "links": every link in the message is found (disguised or not) and judged on its own.

import { judgeLink } from '../links/judge-link.ts';
import type { SafetyRule } from '../rule.ts';
import { isWarning } from '../scam/warning.ts';
import type { SafetyReason } from '../types.ts';

// Look-alike names quoted in a warning ("steamcommunity.com is real, steamcommunlty.com is not")
// are shown with staff told; tricks that hide a destination stay refused wherever they appear.
const QUOTABLE = new Set(['LINK_LOOKALIKE_DOMAIN', 'LINK_BRAND_IMPERSONATION', 'LINK_MIXED_SCRIPT', 'LINK_SUSPICIOUS_TLD']);

export function createLinksRule(globalDeniedDomains: readonly string[]): SafetyRule {
  return {
    name: 'links',
    // Exempt roles still get link findings, but the pipeline keeps only block-level ones for
    // them: an admin's hijacked account posting a phishing link is exactly the case to stop.
    exemptible: false,
    check({ links, text, ctx, strictness }) {
      const lists = {
        roomAllowed: ctx.policy.allowedDomains,
        roomDenied: ctx.policy.deniedDomains,
        globalDenied: globalDeniedDomains,
      };
      const found = links().flatMap((link) => judgeLink(link, lists, strictness));
      if (found.length === 0 || !found.some((r) => QUOTABLE.has(r.code)) || !isWarning(text)) return found;
      return found.map((r): SafetyReason => (QUOTABLE.has(r.code) && r.action !== 'flag' ? { ...r, action: 'flag', detail: `${r.detail ?? ''} (warning context)`.trim() } : r));
    },
  };
}
