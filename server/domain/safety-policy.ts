/**
 * A room's safety tuning (strictness per rule, keywords, domain lists, exemptions, auto-mute),
 * read and set by owner and admins. PUT replaces the stored policy as a whole: what the owner
 * stores is exactly what they sent, omitted fields take the defaults, and `{}` resets the room.
 * (A merge could never remove a field the schema has no "unset" for.) Clients edit by GET →
 * change `stored` → PUT.
 *
 * The send path reads the stored JSON with the membership on every send and re-resolves only
 * when it changed (safety-gate.ts), so a new policy applies to the next message on every gateway.
 */
import type { SafetyPolicy, SafetyPolicyResponse } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { resolvePolicy } from '../safety/policy.ts';
import { findRoomForUpdate, safetyPolicyOf, updateRoomSettings } from '../store/rooms.ts';
import type { DomainDeps } from './deps.ts';
import { authorize } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';

/** Staff only: the keyword lists would tell a spammer exactly what to avoid. */
export async function readSafetyPolicy(deps: DomainDeps, principal: Principal, roomId: string): Promise<SafetyPolicyResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'room.configure');
  const stored = await safetyPolicyOf(deps.db, roomId);
  return view(stored);
}

export async function setSafetyPolicy(deps: DomainDeps, principal: Principal, roomId: string, policy: SafetyPolicy): Promise<SafetyPolicyResponse> {
  const { role } = await requireMembership(deps.db, principal, roomId);
  authorize(role, 'room.configure');

  await commit(deps, async (tx) => {
    // The room row lock orders this with other changes to the room and its feed position.
    if (!(await findRoomForUpdate(tx, roomId))) throw new AppError('ROOM_NOT_FOUND');
    const before = await safetyPolicyOf(tx, roomId);
    await updateRoomSettings(tx, roomId, { safetyPolicy: policy });
    return { events: { kind: 'room.safetyPolicy', roomId, before, after: policy, by: actor(principal) }, value: undefined };
  });
  return view(policy);
}

function view(stored: unknown): SafetyPolicyResponse {
  return { policy: resolvePolicy(stored), stored: (stored ?? {}) as SafetyPolicy };
}
