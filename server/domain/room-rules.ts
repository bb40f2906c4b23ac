/**
 * Must-read rules (群规): staff write them; when acceptance is required, a member who has not
 * accepted the current version cannot send or take part (RULES_NOT_ACCEPTED, checked with the
 * other speaking rules in speaking.ts; owner and admins keep the rules and are not held to them) and is shown them on joining. Every change is a new
 * version and asks everyone again; its author accepts it by writing it. Every gateway forgets its
 * cached speaking facts on a change and on each acceptance (the rules.* room events), so the next
 * send anywhere sees the new answer. Where acceptance is required, the newcomer probation counts
 * from a member's first acceptance (probation.ts), and the rules say for how long
 * (`probationSeconds`), so the dialog on joining can tell the newcomer what waits for them.
 */
import type { RoomRules, RulesResponse } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import { findRoomForUpdate, safetyPolicyOf } from '../store/rooms.ts';
import { acceptedVersionOf, findRules, recordAcceptance, saveRules } from '../store/room-rules.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { policyFor } from './safety-gate.ts';
import { ensureTextPasses } from './written-text.ts';

export async function setRules(deps: DomainDeps, principal: Principal, roomId: string, input: { text: string; requireAcceptance: boolean }): Promise<RoomRules> {
  const text = input.text.trim();
  if (text === '') throw new AppError('VALIDATION_FAILED', 'The rules need some text', { field: 'body.text' });
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'rules.set');
  await ensureTextPasses(deps, text, 'body.text', { userId: principal.userId, role }, roomId);
  return commit(deps, async (tx) => {
    // The room lock orders two staff saving at once: each gets its own version.
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const at = new Date();
    const version = await saveRules(tx, { roomId, text, requireAcceptance: input.requireAcceptance, updatedBy: principal.userId, at });
    await recordAcceptance(tx, { roomId, userId: principal.userId, version, at });
    const rules = (await findRules(tx, roomId))!;
    return { events: { kind: 'rules.updated', roomId, rules, by: actor(principal) }, value: rules };
  });
}

export async function rulesFor(deps: DomainDeps, principal: Principal, roomId: string): Promise<RulesResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  const rules = await findRules(deps.db, roomId);
  const acceptedVersion = await acceptedVersionOf(deps.db, roomId, principal.userId);
  return { rules, acceptedVersion, mustAccept: mustAccept(rules, acceptedVersion, role), probationSeconds: await probationSecondsOf(deps, roomId) };
}

/** What a member who just joined is shown: the rules, when there are any. */
export async function rulesOnJoining(deps: DomainDeps, principal: Principal, roomId: string): Promise<RulesResponse | null> {
  const rules = await findRules(deps.db, roomId);
  if (!rules) return null;
  const acceptedVersion = await acceptedVersionOf(deps.db, roomId, principal.userId);
  return { rules, acceptedVersion, mustAccept: mustAccept(rules, acceptedVersion, 'member'), probationSeconds: await probationSecondsOf(deps, roomId) };
}

async function probationSecondsOf(deps: DomainDeps, roomId: string): Promise<number> {
  return policyFor(roomId, await safetyPolicyOf(deps.db, roomId)).probationSeconds;
}

export async function acceptRules(deps: DomainDeps, principal: Principal, roomId: string): Promise<{ version: number; acceptedAt: string }> {
  await requireMembership(deps.db, principal, roomId);
  return commit(deps, async (tx) => {
    const rules = await findRules(tx, roomId);
    if (!rules) throw new AppError('RULES_NOT_FOUND');
    const at = new Date();
    await recordAcceptance(tx, { roomId, userId: principal.userId, version: rules.version, at });
    return { events: { kind: 'rules.accepted', roomId, userId: principal.userId, version: rules.version }, value: { version: rules.version, acceptedAt: at.toISOString() } };
  });
}

function mustAccept(rules: RoomRules | null, acceptedVersion: number | null, role: string): boolean {
  // As ensureRulesAccepted (speaking.ts): only members are held to it.
  return rules !== null && rules.requireAcceptance && role === 'member' && (acceptedVersion ?? 0) < rules.version;
}
