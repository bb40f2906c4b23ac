// What a rule is: a named check that turns one inspected message into zero or more reasons.
// The pipeline runs rules and merges their reasons; rules know nothing about each other.

import type { FoundLink } from './links/find-links.ts';
import type { NormalizedText } from './normalize.ts';
import type { RuleName, SafetyContext, SafetyMessage, SafetyReason, Strictness } from './types.ts';

export interface RuleInput {
  message: SafetyMessage;
  text: NormalizedText;
  /** Links found in the message; computed once and shared by the links and probation rules. */
  links: () => readonly FoundLink[];
  ctx: SafetyContext;
  strictness: Strictness;
}

export interface SafetyRule {
  name: RuleName;
  /** Exempt roles (owner/admin by default) skip exemptible rules entirely. */
  exemptible: boolean;
  check(input: RuleInput): SafetyReason[];
}

/** Drops the nulls that `finding()` returns for findings softened away by strictness. */
export function present(reasons: Array<SafetyReason | null>): SafetyReason[] {
  return reasons.filter((r): r is SafetyReason => r !== null);
}
