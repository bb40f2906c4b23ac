// The catalogue of reason codes, like Fastify's lib/errors.js: every code the pipeline can
// emit is declared here once, with the rule that owns it and the text shown to the sender.
// Codes are a public contract (clients and admin tools switch on them): add, never rename.

import { actionAtStrictness } from './policy.ts';
import type { RuleName, SafetyAction, SafetyReason, Strictness } from './types.ts';

interface ReasonSpec {
  rule: RuleName;
  message: string;
  /** Whether a hold/block for this reason counts towards auto-mute. Privacy slips are not offences. */
  offence: boolean;
}

export const REASONS = {
  RATE_LIMITED: { rule: 'rate', offence: true, message: 'You are sending messages too fast. Wait a moment and try again.' },

  FLOOD_REPEATED_TEXT: { rule: 'flood', offence: true, message: 'You have sent the same or nearly the same message several times.' },
  FLOOD_CROSS_ROOM: { rule: 'flood', offence: true, message: 'The same message was posted in several rooms in a short time.' },
  FLOOD_MENTION_SPAM: { rule: 'flood', offence: true, message: 'Too many people mentioned in one message.' },
  FLOOD_REPEATED_CHARS: { rule: 'flood', offence: false, message: 'The message is mostly one repeated character.' },
  FLOOD_EMOJI_WALL: { rule: 'flood', offence: false, message: 'The message is a wall of emoji.' },

  PROBATION_LINK: { rule: 'probation', offence: false, message: 'New members cannot post links yet.' },
  PROBATION_IMAGE: { rule: 'probation', offence: false, message: 'New members cannot post images yet.' },
  PROBATION_MENTION: { rule: 'probation', offence: false, message: 'New members cannot mention others yet.' },

  LINK_USERINFO_TRICK: { rule: 'links', offence: true, message: 'The link hides its real destination behind a fake site name before "@".' },
  LINK_LOOKALIKE_DOMAIN: { rule: 'links', offence: true, message: 'The link imitates a well-known site with look-alike characters.' },
  LINK_MIXED_SCRIPT: { rule: 'links', offence: true, message: 'The link mixes alphabets in one name, a common spoofing trick.' },
  LINK_BRAND_IMPERSONATION: { rule: 'links', offence: true, message: 'The link uses a well-known site name on a different domain.' },
  LINK_OBFUSCATED_IP: { rule: 'links', offence: true, message: 'The link hides a server address in an encoded number.' },
  LINK_IP_LITERAL: { rule: 'links', offence: false, message: 'The link points to a bare IP address, not a site name.' },
  LINK_SHORTENER: { rule: 'links', offence: false, message: 'Shortened links hide their destination; please post the full link.' },
  LINK_RISKY_DOWNLOAD: { rule: 'links', offence: true, message: 'The link points to an app or program download.' },
  LINK_DOUBLE_EXTENSION: { rule: 'links', offence: true, message: 'The link points to a file disguised with a double extension.' },
  LINK_SUSPICIOUS_TLD: { rule: 'links', offence: false, message: 'The link uses a domain ending often abused for spam.' },
  LINK_OBFUSCATED: { rule: 'links', offence: true, message: 'The link is disguised (spelled-out dots or inserted characters).' },
  LINK_DENIED_DOMAIN: { rule: 'links', offence: true, message: 'Links to this site are not allowed.' },
  LINK_ROOM_DENIED_DOMAIN: { rule: 'links', offence: true, message: 'Links to this site are not allowed in this room.' },

  SCAM_CONTACT_OFFPLATFORM: { rule: 'scam', offence: true, message: 'Asking people to contact you off the platform is not allowed here.' },
  SCAM_TASK_BRUSHING: { rule: 'scam', offence: true, message: 'Looks like a paid-task or order-brushing job offer, a common scam.' },
  SCAM_INVESTMENT: { rule: 'scam', offence: true, message: 'Looks like a guaranteed-return investment or trading pitch, a common scam.' },
  SCAM_GAMBLING: { rule: 'scam', offence: true, message: 'Gambling promotion is not allowed.' },
  SCAM_FAKE_SERVICE: { rule: 'scam', offence: true, message: 'Looks like a fake refund or customer-service message.' },
  SCAM_ADULT: { rule: 'scam', offence: true, message: 'Adult or escort advertising is not allowed.' },
  SCAM_GIVEAWAY: { rule: 'scam', offence: true, message: 'Looks like a fake prize, giveaway or "scan to claim" bait, a common scam.' },

  PRIVACY_PHONE: { rule: 'privacy', offence: false, message: 'The message contains a phone number. Share it privately instead.' },
  PRIVACY_RESIDENT_ID: { rule: 'privacy', offence: false, message: 'The message contains a resident ID number. Never post it in a group.' },
  PRIVACY_BANK_CARD: { rule: 'privacy', offence: false, message: 'The message contains a bank card number. Never post it in a group.' },
  PRIVACY_EMAIL: { rule: 'privacy', offence: false, message: 'The message contains an email address. Share it privately instead.' },

  // The trained text model (model-signal.ts): one signal beside the rules; the detail names the
  // score and the features that weighed most, for staff.
  MODEL_SUSPICIOUS: { rule: 'model', offence: false, message: 'The message reads like spam or a scam. It will be reviewed before it is shown.' },
  MODEL_HARMFUL: { rule: 'model', offence: true, message: 'The message reads like a scam, phishing or abuse, and is not allowed.' },

  // What this room's staff decided before (precedents.ts); the detail says how similar and when.
  PRECEDENT_REJECTED: { rule: 'precedents', offence: false, message: "A near-identical message was rejected by this room's staff. It will be reviewed." },
  PRECEDENT_APPROVED: { rule: 'precedents', offence: false, message: "A near-identical message was approved by this room's staff." },

  HARASSMENT_ABUSE: { rule: 'harassment', offence: true, message: 'The message contains abuse aimed at someone. Please keep it civil.' },
  HARASSMENT_THREAT: { rule: 'harassment', offence: true, message: 'The message reads as a threat or as ganging up on someone.' },
  HARASSMENT_INSULT: { rule: 'harassment', offence: true, message: 'The message reads as an insult aimed at someone.' },
  ROOM_KEYWORD: { rule: 'keywords', offence: true, message: 'The message contains a word this room does not allow.' },

  // Attachments (server/safety/attachments.ts). A risky type is not an offence by itself: members
  // share mods and tools; a reviewer decides.
  FILE_EXECUTABLE: { rule: 'files', offence: false, message: 'The file is a program. Programs are reviewed before anyone can download them.' },
  FILE_MOBILE_APP: { rule: 'files', offence: false, message: 'The file is a phone app (APK or IPA). Apps are reviewed before anyone can download them.' },
  FILE_SCRIPT: { rule: 'files', offence: false, message: 'The file is a script that runs when opened. Scripts are reviewed first.' },
  FILE_INSTALLER: { rule: 'files', offence: false, message: 'The file is an installer. Installers are reviewed before anyone can download them.' },
  FILE_MACRO_DOCUMENT: { rule: 'files', offence: false, message: 'The document contains macros, which can run code. It is reviewed first.' },
  FILE_ENCRYPTED_ARCHIVE: { rule: 'files', offence: false, message: 'The archive is password-protected, so its content cannot be checked. It is reviewed first.' },
  FILE_ARCHIVE_BOMB: { rule: 'files', offence: true, message: 'The archive unpacks to an absurd size (a decompression bomb).' },
  FILE_NAME_TEXT: { rule: 'files', offence: false, message: 'The file name contains text the rules do not allow here.' },

  QR_CODE_LINK: { rule: 'qr', offence: false, message: 'The picture contains a QR code with a link that is not allowed here.' },
  QR_CODE_TEXT: { rule: 'qr', offence: false, message: 'The picture contains a QR code with text that is not allowed here.' },
  QR_CODE_JOIN_GROUP: { rule: 'qr', offence: false, message: 'The picture contains a QR code that invites people to another group or chat.' },
  QR_CODE_PAYMENT: { rule: 'qr', offence: false, message: 'The picture contains a payment QR code.' },
  QR_SCAN_INCOMPLETE: { rule: 'qr', offence: false, message: 'The picture could not be checked in time. It is reviewed first.' },

  IMAGE_REPEATED_ACROSS_ROOMS: { rule: 'repeats', offence: true, message: 'The same picture was posted in several rooms in a short time.' },
} as const satisfies Record<string, ReasonSpec>;

export type ReasonCode = keyof typeof REASONS;

export function isOffence(code: string): boolean {
  return (REASONS as Record<string, ReasonSpec>)[code]?.offence ?? true;
}

/**
 * Builds the reason for one finding, applying the room's strictness to the action the finding
 * deserves at 'standard'. Returns null when the strictness softens it away.
 */
export function finding(
  code: ReasonCode,
  standardAction: Exclude<SafetyAction, 'allow'>,
  strictness: Strictness,
  options: { fixed?: boolean; detail?: string } = {},
): SafetyReason | null {
  const action = actionAtStrictness(standardAction, strictness, options.fixed);
  if (action === 'allow') return null;
  const spec = REASONS[code];
  const reason: SafetyReason = { code, rule: spec.rule, message: spec.message, action };
  if (options.detail !== undefined) reason.detail = options.detail;
  return reason;
}
