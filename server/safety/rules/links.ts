// Rule "links": every link in the message is found (disguised or not) and judged on its own.

import { judgeLink } from '../links/judge-link.ts';
import type { SafetyRule } from '../rule.ts';

export function createLinksRule(globalDeniedDomains: readonly string[]): SafetyRule {
  return {
    name: 'links',
    // Exempt roles still get link findings, but the pipeline keeps only block-level ones for
    // them: an admin's hijacked account posting a phishing link is exactly the case to stop.
    exemptible: false,
    check({ links, ctx, strictness }) {
      const lists = {
        roomAllowed: ctx.policy.allowedDomains,
        roomDenied: ctx.policy.deniedDomains,
        globalDenied: globalDeniedDomains,
      };
      return links().flatMap((link) => judgeLink(link, lists, strictness));
    },
  };
}
