// The safety pipeline: normalize once, run each rule the room has switched on, weigh the trained
// text model beside their findings (model-signal.ts), merge the reasons into one verdict. Rules are
// independent; this file only decides which run and how their answers combine.
//
// Exempt roles (owner and admin by default) skip every rule except links, and of link findings
// keep only block-level ones (phishing tricks, deny lists): a hijacked admin account is a
// favourite way to post a phishing link, and nobody needs to post one.

import { createInMemoryActivityStore } from './activity.ts';
import { findLinks, type FoundLink } from './links/find-links.ts';
import { BUILT_IN_DENIED_DOMAINS } from './links/site-lists.ts';
import { explainScore, MODEL_MIN_CHARS, weighModel } from './model-signal.ts';
import { loadModel } from './model/model.ts';
import { normalizeText } from './normalize.ts';
import { actionRank, strictnessOf } from './policy.ts';
import { isOffence } from './reasons.ts';
import type { RuleInput, SafetyRule } from './rule.ts';
import { createFloodRule } from './rules/flood.ts';
import { harassmentRule } from './rules/harassment.ts';
import { keywordsRule } from './rules/keywords.ts';
import { createLinksRule } from './rules/links.ts';
import { privacyRule } from './rules/privacy.ts';
import { probationRule } from './rules/probation.ts';
import { createRateRule } from './rules/rate.ts';
import { scamRule } from './rules/scam.ts';
import type { RuleName, SafetyAction, SafetyContext, SafetyMessage, SafetyPipeline, SafetyPipelineOptions, SafetyReason, Verdict } from './types.ts';

export { resolvePolicy } from './policy.ts';
export { createInMemoryActivityStore, type ActivityStore } from './activity.ts';

export function createSafetyPipeline(options: SafetyPipelineOptions = {}): SafetyPipeline {
  const activity = options.activity ?? createInMemoryActivityStore();
  // Loaded once per process (a 512 KiB file read); `model: null` runs the rules alone.
  const model = options.model === undefined ? defaultModel() : options.model;
  const thresholds = model?.meta.combination ?? null;
  const globalDenied = [...BUILT_IN_DENIED_DOMAINS, ...(options.globalDeniedDomains ?? [])].map((d) => d.toLowerCase());
  // Cheap, stateful rules first is not needed for correctness (all rules run, so the verdict
  // explains everything), but rate and flood must see every message to keep their memory right.
  const rules: SafetyRule[] = [
    createRateRule(activity),
    createFloodRule(activity),
    probationRule,
    createLinksRule(globalDenied),
    scamRule,
    privacyRule,
    keywordsRule,
    harassmentRule,
  ];

  // Rate and flood count messages: text that is not one (a file name, a QR code's payload) must
  // not move their memory.
  const contentRules = rules.filter((rule) => rule.name !== 'rate' && rule.name !== 'flood');

  function run(ruleList: readonly SafetyRule[], message: SafetyMessage, ctx: SafetyContext, skip: readonly RuleName[], modelMinChars: number): Verdict {
    const text = normalizeText(message.text ?? '');
    let links: FoundLink[] | undefined;
    const input: RuleInput = { message, text, ctx, links: () => (links ??= findLinks(text.original, text.lowered)), strictness: 'standard' };
    const exempt = ctx.policy.exemptRoles.includes(ctx.sender.role);

    const reasons: SafetyReason[] = [];
    for (const rule of ruleList) {
      if (exempt && rule.exemptible) continue;
      if (skip.includes(rule.name)) continue;
      input.strictness = strictnessOf(ctx.policy, rule.name);
      if (input.strictness === 'off') continue;
      const found = rule.check(input);
      reasons.push(...(exempt ? found.filter((r) => r.action === 'block') : found));
    }
    const modelStrictness = strictnessOf(ctx.policy, 'model');
    if (model && thresholds && !exempt && modelStrictness !== 'off' && !skip.includes('model') && text.compact.length >= modelMinChars) {
      const weighed = weighModel({
        reasons,
        score: model.scoreNormalized(text),
        thresholds,
        strictness: modelStrictness,
        explain: (head) => explainScore(model, text, head),
      });
      return verdictOf(weighed);
    }
    return verdictOf(reasons);
  }

  return {
    check(message: SafetyMessage, ctx: SafetyContext): Verdict {
      return run(rules, message, ctx, [], MODEL_MIN_CHARS.message);
    },

    inspect(text: string, ctx: SafetyContext, options: { skip?: RuleName[] } = {}): Verdict {
      return run(contentRules, { text }, ctx, options.skip ?? [], MODEL_MIN_CHARS.other);
    },

    recordOffence(ctx: SafetyContext, verdict: Verdict) {
      const { autoMute } = ctx.policy;
      if (ctx.policy.exemptRoles.includes(ctx.sender.role)) return null;
      if (autoMute.offences <= 0 || autoMute.muteSeconds <= 0) return null;
      const counts = verdict.reasons.some((r) => (r.action === 'hold' || r.action === 'block') && isOffence(r.code));
      if (!counts) return null;
      const key = `${ctx.roomId}\u0000${ctx.sender.id}`;
      const offences = activity.addOffence(key, ctx.now, autoMute.windowSeconds * 1000);
      if (offences < autoMute.offences) return null;
      // Start afresh after a mute so that one more slip after it does not re-mute at once.
      activity.clearOffences(key);
      return { muteForSeconds: autoMute.muteSeconds };
    },
  };
}

let loaded: ReturnType<typeof loadModel> | undefined;
function defaultModel() {
  return (loaded ??= loadModel());
}

/** Merges findings into one verdict: one reason a code, the strictest action wins. */
export function verdictOf(reasons: SafetyReason[]): Verdict {
  const unique = dedupeByCode(reasons);
  let action: SafetyAction = 'allow';
  for (const reason of unique) if (actionRank(reason.action) > actionRank(action)) action = reason.action;
  return { action, reasons: unique };
}

/** One reason per code (the strictest), so three bad links give one LINK_SHORTENER, not three. */
function dedupeByCode(reasons: SafetyReason[]): SafetyReason[] {
  const byCode = new Map<string, SafetyReason>();
  for (const reason of reasons) {
    const seen = byCode.get(reason.code);
    if (seen === undefined || actionRank(reason.action) > actionRank(seen.action)) byCode.set(reason.code, reason);
  }
  return [...byCode.values()].sort((a, b) => actionRank(b.action) - actionRank(a.action));
}
