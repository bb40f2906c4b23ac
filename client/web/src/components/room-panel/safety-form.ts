/**
 * The safety policy editor's form model: a stored policy as the text in the editor's boxes and
 * back. Pure, so its rules (what a PUT keeps, what goes back to its default) are tested alone.
 */
import { PRESET_DEFAULTS, type StrictnessPreset } from '../../../../../shared/safety-presets.ts';
import type { Role, SafetyPolicy } from '../../../../../shared/schemas.ts';
import type { WireError } from '../../state/store.ts';

export const RULES = ['rate', 'flood', 'probation', 'links', 'scam', 'privacy', 'keywords', 'harassment', 'model', 'precedents', 'files', 'qr', 'repeats'] as const;
export const LEVELS = ['off', 'lenient', 'standard', 'strict'] as const;
export const KEYWORD_LISTS = ['block', 'hold', 'flag'] as const;
export const EXEMPTABLE: Role[] = ['owner', 'admin', 'member', 'bot'];
export type Rule = (typeof RULES)[number];
export type Level = (typeof LEVELS)[number];

/** The editor's view of a stored policy: lists as the text in their boxes. */
export interface SafetyForm {
  rules: Partial<Record<Rule, Level>>;
  keywords: Record<(typeof KEYWORD_LISTS)[number], string>;
  allowedDomains: string;
  deniedDomains: string;
  /** undefined: the default roles. */
  exemptRoles: Role[] | undefined;
  /** '' : the default. */
  probationSeconds: string;
  privacyAction: 'flag' | 'hold' | undefined;
  /** undefined: standard, the preset every room starts with. */
  strictness: StrictnessPreset | undefined;
  /** The three counts an owner tunes most; '' : the preset's. */
  autoMuteOffences: string;
  mentionAllPerDay: string;
  raidJoins: string;
}

/** The raid shield's timings when the owner sets only how many joins raise it (the schema's defaults). */
const RAID_TIMINGS = { windowSeconds: 60, shieldSeconds: 1800, slowModeSeconds: 30 };

export function toSafetyForm(stored: SafetyPolicy): SafetyForm {
  return {
    rules: { ...stored.rules },
    keywords: { block: (stored.keywords?.block ?? []).join('\n'), hold: (stored.keywords?.hold ?? []).join('\n'), flag: (stored.keywords?.flag ?? []).join('\n') },
    allowedDomains: (stored.allowedDomains ?? []).join('\n'),
    deniedDomains: (stored.deniedDomains ?? []).join('\n'),
    exemptRoles: stored.exemptRoles ? [...stored.exemptRoles] : undefined,
    probationSeconds: stored.probationSeconds === undefined ? '' : String(stored.probationSeconds),
    privacyAction: stored.privacyAction,
    strictness: stored.strictness,
    autoMuteOffences: countText(stored.autoMute?.offences),
    mentionAllPerDay: countText(stored.mentionAllPerDay),
    raidJoins: countText(stored.raid?.joins),
  };
}

const countText = (count: number | undefined) => (typeof count === 'number' ? String(count) : '');
const lines = (text: string) => [...new Set(text.split('\n').map((x) => x.trim()).filter(Boolean))];
// Domains never contain spaces or commas, so a pasted "a.com, b.com" is two entries.
const domains = (text: string) => [...new Set(text.split(/[\s,，;；]+/).filter(Boolean))];

/**
 * PUT replaces the stored policy (docs/protocol.md, "Per-room policy"): start from what was
 * stored, so settings this editor does not show (autoMute) survive, and leave a field out to
 * give it back its default.
 */
export function toSafetyPolicy(form: SafetyForm, stored: SafetyPolicy): SafetyPolicy {
  const policy: SafetyPolicy = { ...stored };
  const rules = Object.fromEntries(Object.entries(form.rules).filter(([, level]) => level));
  if (Object.keys(rules).length > 0) policy.rules = rules;
  else delete policy.rules;
  const keywords = Object.fromEntries(KEYWORD_LISTS.map((list) => [list, lines(form.keywords[list])] as const).filter(([, words]) => words.length > 0));
  if (Object.keys(keywords).length > 0) policy.keywords = keywords;
  else delete policy.keywords;
  for (const key of ['allowedDomains', 'deniedDomains'] as const) {
    const list = domains(form[key]);
    if (list.length > 0) policy[key] = list;
    else delete policy[key];
  }
  if (form.exemptRoles) policy.exemptRoles = form.exemptRoles;
  else delete policy.exemptRoles;
  // Sent as typed: a fraction or a negative number is the server's to refuse, next to the form.
  if (form.probationSeconds.trim() !== '') policy.probationSeconds = Number(form.probationSeconds);
  else delete policy.probationSeconds;
  if (form.privacyAction) policy.privacyAction = form.privacyAction;
  else delete policy.privacyAction;
  if (form.strictness) policy.strictness = form.strictness;
  else delete policy.strictness;
  const counted = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const offences = counted(form.autoMuteOffences);
  // The window and the mute's length stay what was stored, else the preset's: the editor shows only the count.
  if (offences !== undefined) policy.autoMute = { ...(stored.autoMute ?? PRESET_DEFAULTS[form.strictness ?? 'standard'].autoMute), offences };
  else if (countText(stored.autoMute?.offences) !== '') delete policy.autoMute;
  const mentions = counted(form.mentionAllPerDay);
  if (mentions !== undefined) policy.mentionAllPerDay = mentions;
  else delete policy.mentionAllPerDay;
  const joins = counted(form.raidJoins);
  if (joins !== undefined) policy.raid = { ...(stored.raid ?? RAID_TIMINGS), joins };
  else if (countText(stored.raid?.joins) !== '') delete policy.raid;
  return policy;
}

/** The policy field a VALIDATION_FAILED names (`details.field` is e.g. "body.deniedDomains.1"). */
export function invalidFieldOf(error: WireError | null): string | null {
  if (error?.code !== 'VALIDATION_FAILED') return null;
  const field = typeof error.details?.field === 'string' ? error.details.field : '';
  return field.replace(/^body\.?/, '').split('.')[0] || null;
}
