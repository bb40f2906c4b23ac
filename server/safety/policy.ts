// Room policy: the defaults, and how a stored (possibly partial, possibly stale) JSON blob
// becomes a complete RoomSafetyPolicy. Rooms are stored by another part of the server and may
// have been written by an older version, so this never throws: unknown or malformed values fall
// back to the default for that field only.

import { PRESET_DEFAULTS, STRICTNESS_PRESETS, type StrictnessPreset } from '../../shared/safety-presets.ts';
import type { RiskyFileAction, RoomSafetyPolicy, RuleName, SafetyAction, SenderRole, Strictness } from './types.ts';

export const RULE_NAMES: readonly RuleName[] = ['rate', 'flood', 'probation', 'links', 'scam', 'privacy', 'keywords', 'harassment', 'files', 'qr', 'repeats', 'model', 'precedents'];

const STRICTNESS_LEVELS: readonly Strictness[] = ['off', 'lenient', 'standard', 'strict'];
const ROLES: readonly SenderRole[] = ['owner', 'admin', 'member', 'bot'];

export const DEFAULT_POLICY: Readonly<RoomSafetyPolicy> = Object.freeze<RoomSafetyPolicy>(policyOfPreset('standard'));

/**
 * A room whose owner chose only a preset (shared/safety-presets.ts). The standard one is what every
 * room starts with; what each of its figures is for is said beside it below.
 */
function policyOfPreset(strictness: StrictnessPreset): RoomSafetyPolicy {
  const preset = PRESET_DEFAULTS[strictness];
  return {
    strictness,
    rules: {},
    keywords: { block: [], hold: [], flag: [] },
    allowedDomains: [],
    deniedDomains: [],
    // Bots are not exempt: a compromised bot token is a classic spam channel.
    exemptRoles: ['owner', 'admin'],
    probationSeconds: preset.probationSeconds,
    privacyAction: preset.privacyAction,
    autoMute: { ...preset.autoMute },
    attachments: {
      // A program from someone who joined minutes ago is the classic drive-by; from a member it may
      // be a mod or a tool, which a reviewer can let through.
      riskyFiles: { ...preset.riskyFiles },
      repeatRooms: 3,
      repeatWindowSeconds: 3600,
    },
    // QQ gives a group's staff ten 全体成员 mentions a day: enough for announcements, too few to
    // wake a thousand members every hour from a hijacked admin account.
    mentionAllPerDay: preset.mentionAllPerDay,
    // Off in the standard preset until the owner sets `joins`: a room announced at a launch or a
    // livestream, or whose members move over from another group, takes dozens of joins a minute
    // that are no raid. Twenty in a minute is the usual setting for a room that fears one.
    raid: { joins: preset.raidJoins, windowSeconds: 60, shieldSeconds: 1800, slowModeSeconds: 30 },
  };
}

export function resolvePolicy(stored: unknown): RoomSafetyPolicy {
  const input = asRecord(stored);
  const keywords = asRecord(input.keywords);
  const autoMute = asRecord(input.autoMute);
  const attachments = asRecord(input.attachments);
  const riskyFiles = asRecord(attachments.riskyFiles);
  const raid = asRecord(input.raid);
  const strictness = STRICTNESS_PRESETS.includes(input.strictness as StrictnessPreset) ? (input.strictness as StrictnessPreset) : 'standard';
  const defaults = strictness === 'standard' ? DEFAULT_POLICY : policyOfPreset(strictness);
  return {
    strictness,
    rules: resolveRuleLevels(input.rules),
    keywords: {
      block: stringList(keywords.block),
      hold: stringList(keywords.hold),
      flag: stringList(keywords.flag),
    },
    allowedDomains: stringList(input.allowedDomains).map(normalizeDomainEntry).filter(Boolean),
    deniedDomains: stringList(input.deniedDomains).map(normalizeDomainEntry).filter(Boolean),
    exemptRoles: Array.isArray(input.exemptRoles)
      ? input.exemptRoles.filter((r): r is SenderRole => ROLES.includes(r as SenderRole))
      : [...defaults.exemptRoles],
    probationSeconds: nonNegativeNumber(input.probationSeconds, defaults.probationSeconds),
    privacyAction: input.privacyAction === 'flag' || input.privacyAction === 'hold' ? input.privacyAction : defaults.privacyAction,
    autoMute: {
      offences: nonNegativeNumber(autoMute.offences, defaults.autoMute.offences),
      windowSeconds: nonNegativeNumber(autoMute.windowSeconds, defaults.autoMute.windowSeconds),
      muteSeconds: nonNegativeNumber(autoMute.muteSeconds, defaults.autoMute.muteSeconds),
    },
    attachments: {
      riskyFiles: {
        newcomers: riskyFileAction(riskyFiles.newcomers, defaults.attachments.riskyFiles.newcomers),
        established: riskyFileAction(riskyFiles.established, defaults.attachments.riskyFiles.established),
      },
      repeatRooms: nonNegativeNumber(attachments.repeatRooms, defaults.attachments.repeatRooms),
      repeatWindowSeconds: nonNegativeNumber(attachments.repeatWindowSeconds, defaults.attachments.repeatWindowSeconds),
    },
    mentionAllPerDay: nonNegativeNumber(input.mentionAllPerDay, defaults.mentionAllPerDay),
    raid: {
      joins: nonNegativeNumber(raid.joins, defaults.raid.joins),
      windowSeconds: Math.max(1, nonNegativeNumber(raid.windowSeconds, defaults.raid.windowSeconds)),
      shieldSeconds: Math.max(1, nonNegativeNumber(raid.shieldSeconds, defaults.raid.shieldSeconds)),
      slowModeSeconds: nonNegativeNumber(raid.slowModeSeconds, defaults.raid.slowModeSeconds),
    },
  };
}

/**
 * Rules a room has to switch on. None today: the trained model runs by default since it was
 * trained on ordinary short chat (docs/safety.md: it stops none of the ordinary-chat set and none
 * of the project's own test chat); a room's owner can still switch it off (rules.model: 'off').
 */
const OFF_UNLESS_CHOSEN: ReadonlySet<RuleName> = new Set([]);

/** A rule's level: the room's own setting for it, else its preset's. */
export function strictnessOf(policy: RoomSafetyPolicy, rule: RuleName): Strictness {
  return policy.rules[rule] ?? (OFF_UNLESS_CHOSEN.has(rule) ? 'off' : PRESET_DEFAULTS[policy.strictness].ruleLevel);
}

const ACTION_ORDER: readonly SafetyAction[] = ['allow', 'flag', 'hold', 'block'];

export function actionRank(action: SafetyAction): number {
  return ACTION_ORDER.indexOf(action);
}

/**
 * Rules describe each finding by the action it deserves at 'standard'. A room's strictness
 * moves that one step: lenient softens (block→hold→flag→dropped), strict hardens
 * (flag→hold→block). Findings marked `fixed` (phishing tricks, deny lists) ignore the shift
 * because softening them would only help the attacker.
 */
export function actionAtStrictness(
  standardAction: Exclude<SafetyAction, 'allow'>,
  strictness: Strictness,
  fixed = false,
): SafetyAction {
  if (strictness === 'off') return 'allow';
  if (fixed || strictness === 'standard') return standardAction;
  const rank = actionRank(standardAction) + (strictness === 'strict' ? 1 : -1);
  return ACTION_ORDER[Math.max(0, Math.min(ACTION_ORDER.length - 1, rank))];
}

function resolveRuleLevels(value: unknown): Partial<Record<RuleName, Strictness>> {
  const input = asRecord(value);
  const levels: Partial<Record<RuleName, Strictness>> = {};
  for (const rule of RULE_NAMES) {
    const level = input[rule];
    if (STRICTNESS_LEVELS.includes(level as Strictness)) levels[rule] = level as Strictness;
  }
  return levels;
}

function normalizeDomainEntry(entry: string): string {
  return entry.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/^\*\./, '').replace(/[/:].*$/, '').replace(/\.$/, '');
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function riskyFileAction(value: unknown, fallback: RiskyFileAction): RiskyFileAction {
  return value === 'block' || value === 'hold' || value === 'allow' ? value : fallback;
}

function nonNegativeNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
