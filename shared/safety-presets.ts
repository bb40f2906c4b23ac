/**
 * A room's overall strictness (宽松 / 标准 / 严格): the three presets an owner picks from before
 * touching any single rule. Each preset is a set of defaults; whatever the room sets itself (a
 * rule's level, the probation time, the auto-mute) still wins over it. Shared so that the web
 * client describes a preset with the very figures the server applies.
 */
export type StrictnessPreset = 'relaxed' | 'standard' | 'strict';
export const STRICTNESS_PRESETS: readonly StrictnessPreset[] = ['relaxed', 'standard', 'strict'];

type RuleLevel = 'lenient' | 'standard' | 'strict';
type FileAction = 'block' | 'hold' | 'allow';

export interface PresetDefaults {
  /** Every rule the room has not set itself runs at this level. */
  ruleLevel: RuleLevel;
  probationSeconds: number;
  privacyAction: 'flag' | 'hold';
  autoMute: { offences: number; windowSeconds: number; muteSeconds: number };
  riskyFiles: { newcomers: FileAction; established: FileAction };
  mentionAllPerDay: number;
  /** Joins within a minute that raise the raid shield; 0: no shield. */
  raidJoins: number;
}

export const PRESET_DEFAULTS: Readonly<Record<StrictnessPreset, Readonly<PresetDefaults>>> = {
  // A circle of friends who know each other: findings are one step softer (a hold becomes a flag
  // for staff), newcomers speak at once, nobody is muted for a slip or two.
  relaxed: {
    ruleLevel: 'lenient',
    probationSeconds: 0,
    privacyAction: 'flag',
    autoMute: { offences: 5, windowSeconds: 600, muteSeconds: 600 },
    riskyFiles: { newcomers: 'hold', established: 'hold' },
    mentionAllPerDay: 20,
    raidJoins: 0,
  },
  // What every room starts with.
  standard: {
    ruleLevel: 'standard',
    probationSeconds: 600,
    privacyAction: 'hold',
    autoMute: { offences: 3, windowSeconds: 600, muteSeconds: 1800 },
    riskyFiles: { newcomers: 'block', established: 'hold' },
    mentionAllPerDay: 10,
    raidJoins: 0,
  },
  // A large open room listed in the directory, the kind spam accounts work through: one step
  // harder, a day of probation, a mute at the second offence, and the raid shield on.
  strict: {
    ruleLevel: 'strict',
    probationSeconds: 24 * 3600,
    privacyAction: 'hold',
    autoMute: { offences: 2, windowSeconds: 3600, muteSeconds: 24 * 3600 },
    riskyFiles: { newcomers: 'block', established: 'block' },
    mentionAllPerDay: 3,
    raidJoins: 20,
  },
};
