// The shapes the server sees. Everything else in server/safety is an implementation detail
// behind createSafetyPipeline().

import type { StrictnessPreset } from '../../shared/safety-presets.ts';
import type { ActivityStore } from './activity.ts';
import type { TextModel } from './model/model.ts';

export type SafetyAction = 'allow' | 'flag' | 'hold' | 'block';

export type RuleName = 'rate' | 'flood' | 'probation' | 'links' | 'scam' | 'privacy' | 'keywords' | 'harassment' | 'files' | 'qr' | 'repeats' | 'model' | 'precedents';

export type Strictness = 'off' | 'lenient' | 'standard' | 'strict';

export type SenderRole = 'owner' | 'admin' | 'member' | 'bot';

export interface SafetyReason {
  /** Stable UPPER_SNAKE code, e.g. 'LINK_USERINFO_TRICK'. Clients may switch on it. */
  code: string;
  /** The rule that produced it. */
  rule: RuleName;
  /** Short English text telling the sender why. Never echoes the message body. */
  message: string;
  /** What this single finding asks for; the verdict takes the strictest. (Added field.) */
  action: Exclude<SafetyAction, 'allow'>;
  /** For admins and logs: the domain, keyword or category that matched. (Added field.) */
  detail?: string;
}

export interface Verdict {
  action: SafetyAction;
  reasons: SafetyReason[];
}

export interface RoomSafetyPolicy {
  /** The preset whose defaults fill what the room did not set itself (shared/safety-presets.ts). */
  strictness: StrictnessPreset;
  rules: Partial<Record<RuleName, Strictness>>;
  keywords: { block: string[]; hold: string[]; flag: string[] };
  allowedDomains: string[];
  deniedDomains: string[];
  exemptRoles: SenderRole[];
  probationSeconds: number;
  privacyAction: 'flag' | 'hold';
  autoMute: { offences: number; windowSeconds: number; muteSeconds: number };
  attachments: AttachmentPolicy;
  /** @all (@所有人) messages the room's staff may send in any 24 hours; 0: none. */
  mentionAllPerDay: number;
  raid: RaidPolicy;
}

/** A wave of joins (see domain/raid-shield.ts): `joins` within `windowSeconds` raise the shield; 0 joins turns it off. */
export interface RaidPolicy {
  joins: number;
  windowSeconds: number;
  /** How long new members need approval and slow mode holds. */
  shieldSeconds: number;
  slowModeSeconds: number;
}

/** What happens to files that run code or hide their content (see safety/attachments.ts). */
export type RiskyFileAction = 'block' | 'hold' | 'allow';

export interface AttachmentPolicy {
  /** Programs, apps, scripts, installers, macro documents, password-protected archives. Bombs are always refused. */
  riskyFiles: { newcomers: RiskyFileAction; established: RiskyFileAction };
  /** The same picture (near-duplicates too) reaching this many rooms within the window is held; 0 turns it off. */
  repeatRooms: number;
  repeatWindowSeconds: number;
}

export interface SafetyMessage {
  text: string;
  mentions?: string[];
  mentionsAll?: boolean;
  /**
   * Mentions that are conversation, not outreach: the author of the message being replied to and
   * the room's owner and admins. A newcomer naming them is not held for it.
   */
  conversational?: string[];
  hasImage?: boolean;
}

export interface SafetySender {
  id: string;
  role: SenderRole;
  /** When the sender's probation began: joining, or where the room requires its rules, their first acceptance (domain/probation.ts). */
  joinedAt?: Date;
}

export interface SafetyContext {
  roomId: string;
  sender: SafetySender;
  policy: RoomSafetyPolicy;
  /** ms since epoch; passed in so tests and replays control the clock. */
  now: number;
}

export interface SafetyPipeline {
  check(message: SafetyMessage, ctx: SafetyContext): Verdict;
  /**
   * The content rules alone (everything but rate and flood, which count messages) on text that is
   * not a message: a file's name, the payload of a QR code in a picture.
   */
  inspect(text: string, ctx: SafetyContext, options?: { skip?: RuleName[] }): Verdict;
  recordOffence(ctx: SafetyContext, verdict: Verdict): { muteForSeconds: number } | null;
}

export interface SafetyPipelineOptions {
  activity?: ActivityStore;
  globalDeniedDomains?: string[];
  /** The trained text model; the committed one by default, `null` for the rules alone. */
  model?: TextModel | null;
}
