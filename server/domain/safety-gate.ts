/**
 * Runs the safety pipeline on a message about to be stored and carries out its verdict:
 * `allow` passes, `flag` passes and tells the room's staff, `hold` keeps the message out of the
 * room in the review queue, `block` refuses it. Every decision that is not `allow` is audited,
 * and repeat offenders are muted automatically when the room's policy says so.
 */
import { randomUUID } from 'node:crypto';
import type { Attachment, HeldMessage, Role } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { resolvePolicy, strictnessOf } from '../safety/policy.ts';
import { verdictOf } from '../safety/pipeline.ts';
import { findPrecedent, shapeOf, weighPrecedent, type Precedent, type TextShape } from '../safety/precedents.ts';
import { crossRoomReason, REPEAT_WINDOW_MS } from '../safety/rules/flood.ts';
import type { RoomSafetyPolicy, SafetyContext, Verdict } from '../safety/types.ts';
import { insertHeld } from '../store/held-messages.ts';
import { updateMember } from '../store/members.ts';
import type { DomainDeps } from './deps.ts';
import type { Principal } from './principal.ts';
import { commit, commitEvent, type RoomEvent } from './room-events.ts';

export interface GateInput {
  roomId: string;
  text: string;
  clientMsgId: string;
  replyTo: number | null;
  mentions: string[];
  mentionsAll: boolean;
  /** Whom the sender may name without it counting as reaching out (see SafetyMessage.conversational). */
  conversational: string[];
  /** Held with the message, so that approval sends them too. */
  attachments: Attachment[];
  role: Role;
  /** When the sender's probation began (domain/probation.ts). */
  joinedAt: Date;
  storedPolicy: unknown;
  /** Runs before a hold or block takes effect; may throw to stop it (e.g. the send turns out to be a retry). */
  beforeRefusing?: () => Promise<void>;
}

// Resolving a policy compiles the owner's keywords; reuse it until the stored JSON changes.
const policyCache = new Map<string, { raw: string; policy: RoomSafetyPolicy }>();
const POLICY_CACHE_LIMIT = 10_000;
// The stored policy arrives as the same object for as long as the sender's facts stay cached
// (speaker-cache.ts), so most sends find it here without serializing it to compare.
const policyByStoredObject = new WeakMap<object, RoomSafetyPolicy>();

export function policyFor(roomId: string, stored: unknown): RoomSafetyPolicy {
  const storedObject = typeof stored === 'object' && stored !== null ? stored : null;
  const known = storedObject && policyByStoredObject.get(storedObject);
  if (known) return known;
  const raw = JSON.stringify(stored ?? {});
  const cached = policyCache.get(roomId);
  let policy: RoomSafetyPolicy;
  if (cached && cached.raw === raw) policy = cached.policy;
  else {
    if (policyCache.size >= POLICY_CACHE_LIMIT) policyCache.clear();
    policy = resolvePolicy(stored);
    policyCache.set(roomId, { raw, policy });
  }
  if (storedObject) policyByStoredObject.set(storedObject, policy);
  return policy;
}

/** Reasons as the sender may see them: code and message, never the matched detail. */
function publicReasons(verdict: Verdict) {
  return verdict.reasons.map((reason) => ({ code: reason.code, message: reason.message }));
}

/** Returns the verdict when the message may be stored (`allow` or `flag`); throws otherwise. */
export async function passSafety(deps: DomainDeps, principal: Principal, input: GateInput): Promise<Verdict> {
  const ctx: SafetyContext = {
    roomId: input.roomId,
    sender: { id: principal.userId, role: input.role, joinedAt: input.joinedAt },
    policy: policyFor(input.roomId, input.storedPolicy),
    now: Date.now(),
  };
  const precedents = await precedentsFor(deps, ctx);
  const shape = precedents.length > 0 || deps.sightings ? shapeOf(input.text) : null;
  const otherRooms = await otherRoomsWithText(deps, ctx, shape);
  // A retry of this very send (its earlier attempt was not stored) keeps that attempt's verdict.
  const verdict = deps.sendAttempts.verdictFor(principal.userId, input.clientMsgId, input.roomId, input.text, ctx.now, () => {
    let fresh = deps.safety.check({ text: input.text, mentions: input.mentions, mentionsAll: input.mentionsAll, conversational: input.conversational }, ctx);
    if (precedents.length > 0) fresh = weighPrecedent(fresh, findPrecedent(shape, precedents), strictnessOf(ctx.policy, 'precedents'));
    const acrossGateways = otherRooms > 0 ? crossRoomReason(otherRooms + 1, strictnessOf(ctx.policy, 'flood')) : null;
    if (acrossGateways) fresh = verdictOf([...fresh.reasons, acrossGateways]);
    // Counted here, not in safety/pipeline.ts, which is also run (and benchmarked) on its own.
    deps.metrics.safetyVerdict(fresh.action);
    return fresh;
  });
  if (verdict.action === 'allow' || verdict.action === 'flag') return verdict;
  await input.beforeRefusing?.();

  const reasons = publicReasons(verdict);
  if (verdict.action === 'hold') {
    const heldId = randomUUID();
    const stored = await commit(deps, async (tx) => {
      const stored = await insertHeld(tx, {
        id: heldId,
        roomId: input.roomId,
        senderId: principal.userId,
        clientMsgId: input.clientMsgId,
        text: input.text,
        replyTo: input.replyTo,
        reasons: verdict.reasons,
        attachments: input.attachments,
      });
      // A retry racing the first attempt is held once, and told once.
      return { events: stored ? { kind: 'message.held', roomId: input.roomId, heldId, senderId: principal.userId, reasons: verdict.reasons } : null, value: stored };
    });
    // A message waiting for review is no offence yet: a rejection counts it (punishRejected).
    throw new AppError('HELD_FOR_REVIEW', heldMessageText(reasons), { heldId, reasons });
  }

  await commitEvent(deps, { kind: 'message.blocked', roomId: input.roomId, senderId: principal.userId, reasons: verdict.reasons });
  await punishRepeatOffence(deps, principal, ctx, verdict);
  throw new AppError('BLOCKED_BY_SAFETY', `Blocked: ${reasons.map((r) => r.message).join(' ')}`, { reasons });
}

/** The room's staff decisions to weigh, unless the room switched them off or the sender is exempt staff. */
async function precedentsFor(deps: DomainDeps, ctx: SafetyContext): Promise<Precedent[]> {
  if (strictnessOf(ctx.policy, 'precedents') === 'off' || ctx.policy.exemptRoles.includes(ctx.sender.role)) return [];
  return deps.precedents.of(deps.db, ctx.roomId, ctx.now);
}

/**
 * How many other rooms, on any gateway, saw near-identical text from this sender in the last
 * minutes (safety/sightings.ts; the flood rule sees this gateway's own). A failing Redis costs the
 * check, not the send.
 */
async function otherRoomsWithText(deps: DomainDeps, ctx: SafetyContext, shape: TextShape | null): Promise<number> {
  if (!deps.sightings || !shape || strictnessOf(ctx.policy, 'flood') === 'off' || ctx.policy.exemptRoles.includes(ctx.sender.role)) return 0;
  try {
    return (await deps.sightings.otherRooms(ctx.sender.id, ctx.roomId, shape, ctx.now, REPEAT_WINDOW_MS)).length;
  } catch (error) {
    deps.log.warn({ err: error, roomId: ctx.roomId }, 'cross-gateway text sightings unavailable');
    return 0;
  }
}

function heldMessageText(reasons: Array<{ message: string }>): string {
  return `Your message is waiting for an admin to review it: ${reasons.map((r) => r.message).join(' ')}`;
}

/**
 * A reviewer rejected a held message: now it counts towards the sender's automatic mute, as a
 * refused one does at once.
 */
export async function punishRejected(deps: DomainDeps, held: HeldMessage, sender: { role: Role; joinedAt: Date; displayName: string }, storedPolicy: unknown): Promise<void> {
  const ctx: SafetyContext = {
    roomId: held.roomId,
    sender: { id: held.sender.id, role: sender.role, joinedAt: sender.joinedAt },
    policy: policyFor(held.roomId, storedPolicy),
    now: Date.now(),
  };
  const reasons = held.reasons.map((reason) => ({ ...reason, action: 'hold' as const, strictness: 'standard' as const }));
  await punishRepeatOffence(deps, { userId: held.sender.id, displayName: sender.displayName }, ctx, { action: 'hold', reasons } as Verdict);
}

/**
 * The room's policy mutes a repeat offender (refused messages and refused uploads alike): the
 * same event as a person's mute, marked automatic.
 */
export async function punishRepeatOffence(deps: DomainDeps, principal: Pick<Principal, 'userId' | 'displayName'>, ctx: SafetyContext, verdict: Verdict): Promise<void> {
  const due = deps.safety.recordOffence(ctx, verdict);
  if (!due) return;
  const until = new Date(Date.now() + due.muteForSeconds * 1000);
  await commit(deps, async (tx) => {
    await updateMember(tx, ctx.roomId, principal.userId, { mutedUntil: until });
    const event: RoomEvent = {
      kind: 'member.autoMuted',
      roomId: ctx.roomId,
      userId: principal.userId,
      displayName: principal.displayName,
      reason: 'Repeated messages refused by the safety rules',
      until,
      durationSeconds: due.muteForSeconds,
    };
    return { events: event, value: undefined };
  });
}
