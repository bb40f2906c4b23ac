// Safety for files, judged inline before anything is kept or shown, with reasons like text:
//   - risky types (programs, phone apps, scripts, installers, macro documents, password-protected
//     archives) are refused or held per the room's policy, newcomers and established members
//     apart; archive bombs are always refused;
//   - the file name is text a stranger reads, so it goes through the text rules ("加V信 领取.jpg");
//   - a picture's QR codes are decoded and their payloads judged like text (links, scam wording),
//     plus the two QR-only tricks: an invitation to another group (扫码进群) and a payment code;
//   - a picture is hashed perceptually, and the same picture (re-encoded, resized, cropped a
//     little) reaching several rooms within a window is held as spam;
//   - a newcomer's photos and videos are held (probation), as their links are.
// sniff.ts classifies the bytes; this file decides. It reads no database: the caller passes how
// to find recent look-alikes.

import type { Readable } from 'node:stream';
import type { FileRisk } from '../media/archives.ts';
import { scanImage } from '../media/image-scan.ts';
import { scanPicture } from '../media/images.ts';
import type { QrDecoder } from '../media/qr-decoder.ts';
import { verdictOf } from './pipeline.ts';
import { actionRank, strictnessOf } from './policy.ts';
import { finding, type ReasonCode } from './reasons.ts';
import type { RiskyFileAction, SafetyAction, SafetyContext, SafetyPipeline, SafetyReason, Verdict } from './types.ts';

export interface AttachmentToJudge {
  name: string;
  kind: 'image' | 'video' | 'audio' | 'file';
  mime: string;
  risk: FileRisk | null;
  riskDetail?: string;
  /** The staged bytes, from the start, as often as needed. */
  read(): Readable;
  /** Where they are staged on disk: a picture is then scanned in the pixel worker, not here. */
  path?: string;
}

export interface RecentLookalike {
  roomId: string;
  uploaderId: string;
}

export interface AttachmentJudgeTools {
  pipeline: SafetyPipeline;
  qr: QrDecoder;
  /** Pictures posted since `sinceMs` whose hash is within `maxDistance` bits of `phash`, in any room. */
  findLookalikes(phash: bigint, sinceMs: number, maxDistance: number): Promise<RecentLookalike[]>;
}

export interface AttachmentVerdict extends Verdict {
  /** The picture's perceptual hash, to be stored with it; null for anything else. */
  phash: bigint | null;
  /** How long the QR decoder took, for logs and benchmarks. */
  qrMs?: number;
}

/**
 * Bits two hashes may differ in and still be the same picture. Measured on photo-like pictures:
 * re-encoding and resizing move 0–2 bits, 1.5 % cropped off each side 6–12, 3 % off one side up
 * to 14; unrelated pictures differ in 26–40 (about half of the 64, as chance would have it).
 */
export const LOOKALIKE_MAX_DISTANCE = 12;

const RISK_REASONS: Record<FileRisk, ReasonCode> = {
  executable: 'FILE_EXECUTABLE',
  'mobile-app': 'FILE_MOBILE_APP',
  script: 'FILE_SCRIPT',
  installer: 'FILE_INSTALLER',
  'macro-document': 'FILE_MACRO_DOCUMENT',
  'encrypted-archive': 'FILE_ENCRYPTED_ARCHIVE',
  'archive-bomb': 'FILE_ARCHIVE_BOMB',
};

/** The decoders sharp has for what sniff.ts calls an image. */
const SCANNABLE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/heif', 'image/heic']);

export async function judgeAttachment(file: AttachmentToJudge, ctx: SafetyContext, tools: AttachmentJudgeTools): Promise<AttachmentVerdict> {
  const exempt = ctx.policy.exemptRoles.includes(ctx.sender.role);
  const newcomer = !exempt && ctx.sender.joinedAt !== undefined && ctx.now - ctx.sender.joinedAt.getTime() < ctx.policy.probationSeconds * 1000;
  const reasons: SafetyReason[] = [];

  reasons.push(...riskyType(file, ctx, newcomer));
  reasons.push(...nameText(file.name, ctx, tools.pipeline));
  if ((file.kind === 'image' || file.kind === 'video') && newcomer) {
    const held = finding('PROBATION_IMAGE', 'hold', strictnessOf(ctx.policy, 'probation'));
    if (held) reasons.push(held);
  }

  let phash: bigint | null = null;
  let qrMs: number | undefined;
  if (file.kind === 'image' && SCANNABLE.has(file.mime)) {
    const scan = file.path ? await scanPicture(file.path) : await scanImage(() => file.read());
    if (scan) {
      phash = scan.phash;
      if (strictnessOf(ctx.policy, 'qr') !== 'off') {
        // A picture the decoder chokes on is not let through unread: it waits for a reviewer.
        const qr = await tools.qr.decode(scan.grey, scan.width, scan.height).catch(() => null);
        if (qr) qrMs = qr.ms;
        if (!qr || qr.timedOut) pushFinding(reasons, 'QR_SCAN_INCOMPLETE', 'hold', ctx, 'qr', { fixed: true, detail: qr ? `${qr.ms} ms` : 'the decoder failed' });
        for (const payload of qr?.texts ?? []) reasons.push(...qrPayload(payload, ctx, tools.pipeline, exempt));
      }
      if (phash !== null && !exempt) reasons.push(...(await repeatedAcrossRooms(phash, ctx, tools)));
    }
  }

  const verdict = verdictOf(reasons);
  return { ...verdict, phash, ...(qrMs === undefined ? {} : { qrMs }) };
}

/** Not exemptible: a hijacked admin account posting an "update.apk" is exactly the case to stop. */
function riskyType(file: AttachmentToJudge, ctx: SafetyContext, newcomer: boolean): SafetyReason[] {
  if (!file.risk) return [];
  const code = RISK_REASONS[file.risk];
  const detail = file.riskDetail ?? file.mime;
  if (file.risk === 'archive-bomb') return present(finding(code, 'block', 'standard', { fixed: true, detail }));
  if (strictnessOf(ctx.policy, 'files') === 'off') return [];
  const configured: RiskyFileAction = newcomer ? ctx.policy.attachments.riskyFiles.newcomers : ctx.policy.attachments.riskyFiles.established;
  if (configured === 'allow') return [];
  return present(finding(code, configured, 'standard', { fixed: true, detail }));
}

/**
 * The name without its extension, with separators read as spaces: "holiday.mov" must not read as
 * a link to the domain holiday.mov, while "加V_abc123_领取" reads as the words it is. Privacy is
 * left out: camera file names are digit runs that look like phone and card numbers.
 */
function nameText(name: string, ctx: SafetyContext, pipeline: SafetyPipeline): SafetyReason[] {
  const dot = name.lastIndexOf('.');
  const text = (dot > 0 ? name.slice(0, dot) : name).replace(/[_+]+/g, ' ');
  const found = pipeline.inspect(text, ctx, { skip: ['privacy', 'model'] });
  return wrap('FILE_NAME_TEXT', found, ctx, 'files');
}

/**
 * Invitations to another group and payment codes, by where they point. Both are how a stranger
 * moves members off the room (扫码进群, 加V) or takes their money; a reviewer lets real ones through.
 */
const JOIN_GROUP = [
  /^https?:\/\/(weixin\.qq\.com\/g\/|u\.wechat\.com\/|qm\.qq\.com\/|jq\.qq\.com\/|qun\.qq\.com\/|chat\.whatsapp\.com\/|t\.me\/(\+|joinchat\/)|telegram\.me\/joinchat\/|discord\.gg\/|discord\.com\/invite\/|line\.me\/(ti\/g|r\/ti\/g)\/|group\.dingtalk\.com\/|h5\.dingtalk\.com\/invite)/i,
];
const PAYMENT = [/^wxp:\/\//i, /^https?:\/\/(qr\.alipay\.com|qr\.95516\.com|payapp\.weixin\.qq\.com|wx\.tenpay\.com|pay\.weixin\.qq\.com)\//i, /^(alipays?|weixin|upwrp):\/\//i, /^bitcoin:|^ethereum:|^tron:/i];

function qrPayload(payload: string, ctx: SafetyContext, pipeline: SafetyPipeline, exempt: boolean): SafetyReason[] {
  const reasons: SafetyReason[] = [];
  const text = payload.trim();
  const detail = text.slice(0, 200);
  if (!exempt) {
    if (JOIN_GROUP.some((re) => re.test(text))) pushFinding(reasons, 'QR_CODE_JOIN_GROUP', 'hold', ctx, 'qr', { detail });
    if (PAYMENT.some((re) => re.test(text))) pushFinding(reasons, 'QR_CODE_PAYMENT', 'hold', ctx, 'qr', { detail });
  }
  const found = pipeline.inspect(text, ctx, { skip: ['model'] });
  const fromLinks = found.reasons.filter((r) => r.rule === 'links' || r.code === 'PROBATION_LINK');
  const fromText = found.reasons.filter((r) => !fromLinks.includes(r));
  reasons.push(...wrap('QR_CODE_LINK', { action: strictest(fromLinks), reasons: fromLinks }, ctx, 'qr', detail));
  reasons.push(...wrap('QR_CODE_TEXT', { action: strictest(fromText), reasons: fromText }, ctx, 'qr', detail));
  return reasons;
}

async function repeatedAcrossRooms(phash: bigint, ctx: SafetyContext, tools: AttachmentJudgeTools): Promise<SafetyReason[]> {
  const { repeatRooms, repeatWindowSeconds } = ctx.policy.attachments;
  const strictness = strictnessOf(ctx.policy, 'repeats');
  if (repeatRooms <= 0 || strictness === 'off') return [];
  const recent = await tools.findLookalikes(phash, ctx.now - repeatWindowSeconds * 1000, LOOKALIKE_MAX_DISTANCE);
  const byUploader = new Set(recent.filter((r) => r.uploaderId === ctx.sender.id && r.roomId !== ctx.roomId).map((r) => r.roomId));
  const byAnyone = new Set(recent.filter((r) => r.roomId !== ctx.roomId).map((r) => r.roomId));
  // Counting this room too. Many accounts spreading one picture is a spam run as well, but a
  // popular meme spreads by itself, so that takes twice the rooms.
  if (byUploader.size + 1 >= repeatRooms) return present(finding('IMAGE_REPEATED_ACROSS_ROOMS', 'hold', strictness, { detail: `${byUploader.size + 1} rooms by the same uploader` }));
  if (byAnyone.size + 1 >= repeatRooms * 2) return present(finding('IMAGE_REPEATED_ACROSS_ROOMS', 'hold', strictness, { detail: `${byAnyone.size + 1} rooms` }));
  return [];
}

/**
 * What the text rules found in a part of the file, said once as where it was found (the wrapper
 * code) and once as what was found (their own codes), so a client switching on LINK_SHORTENER
 * still sees it and a reviewer sees it came from a QR code.
 *
 * One step stricter than in a message: what the rules only flag in a message (a shortener, a
 * contact handle) is shown there for all to read, with staff told; a QR code cannot be read
 * before it is scanned, and a file name sits in the room's file list for good. So flag holds.
 */
function wrap(code: ReasonCode, found: Verdict, ctx: SafetyContext, rule: 'files' | 'qr', detail?: string): SafetyReason[] {
  if (found.action === 'allow' || found.reasons.length === 0) return [];
  if (strictnessOf(ctx.policy, rule) === 'off') return [];
  const action = found.action === 'flag' ? 'hold' : found.action;
  const outer = finding(code, action, strictnessOf(ctx.policy, rule), { fixed: action === 'block', detail: detail ?? found.reasons.map((r) => r.code).join(', ') });
  return outer ? [outer, ...found.reasons] : found.reasons;
}

function strictest(reasons: SafetyReason[]): SafetyAction {
  let action: SafetyAction = 'allow';
  for (const reason of reasons) if (actionRank(reason.action) > actionRank(action)) action = reason.action;
  return action;
}

function pushFinding(
  into: SafetyReason[],
  code: ReasonCode,
  action: Exclude<SafetyAction, 'allow'>,
  ctx: SafetyContext,
  rule: 'qr' | 'files',
  options: { fixed?: boolean; detail?: string } = {},
): void {
  into.push(...present(finding(code, action, strictnessOf(ctx.policy, rule), options)));
}

function present(reason: SafetyReason | null): SafetyReason[] {
  return reason ? [reason] : [];
}
