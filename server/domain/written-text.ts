/**
 * Every text a person writes for others to read passes the safety rules, not only messages: a
 * nickname (群昵称), a display name, a room's name and topic, an announcement, the answer to a
 * room's join question, a bot's name. `加V xiutu888 日入三百` must not become a nickname because it
 * would be blocked as a message. The content rules run (links, scam, privacy, keywords; not rate or
 * flood, which count messages, and not probation, which is about links and mentions in messages);
 * anything they would hold or block is refused with the reasons, since there is no review queue
 * for a name. A room's texts are judged by its policy; an account's by the default one.
 */
import type { Role } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { resolvePolicy } from '../safety/policy.ts';
import { impersonatedStaff, type StaffName } from '../safety/impersonation.ts';
import { findMembership, staffIdsOf } from '../store/members.ts';
import { safetyPolicyOf } from '../store/rooms.ts';
import { findUserById } from '../store/users.ts';
import type { DomainDeps } from './deps.ts';
import { policyFor } from './safety-gate.ts';

const DEFAULT_POLICY = resolvePolicy({});

export interface Writer {
  userId: string;
  /** The writer's role in the room (exempt roles are judged only by block-level findings), or null outside one. */
  role: Role | null;
}

/** Throws BLOCKED_BY_SAFETY (details.field, details.reasons) when the rules would not let `text` through. */
export async function ensureTextPasses(deps: DomainDeps, text: string, field: string, writer: Writer, roomId: string | null): Promise<void> {
  if (text.trim() === '') return;
  const policy = roomId ? policyFor(roomId, await safetyPolicyOf(deps.db, roomId)) : DEFAULT_POLICY;
  const verdict = deps.safety.inspect(text, { roomId: roomId ?? '', sender: { id: writer.userId, role: writer.role ?? 'member' }, policy, now: Date.now() }, { skip: ['probation'] });
  if (verdict.action !== 'hold' && verdict.action !== 'block') return;
  const reasons = verdict.reasons.filter((r) => r.action === 'hold' || r.action === 'block').map((r) => ({ code: r.code, message: r.message }));
  throw new AppError('BLOCKED_BY_SAFETY', `Not allowed in ${field}: ${reasons.map((r) => r.message).join(' ')}`, { field, reasons });
}

/**
 * A member's nickname in a room must not pass for its owner or an admin (their name with a title,
 * or with look-alike letters) nor claim a staff title: throws STAFF_IMPERSONATION. Staff may call
 * themselves what they like.
 */
export async function ensureNotPosingAsStaff(deps: DomainDeps, nickname: string, field: string, writer: Writer, roomId: string): Promise<void> {
  if (writer.role === 'owner' || writer.role === 'admin') return;
  const staffIds = (await staffIdsOf(deps.db, roomId)).filter((id) => id !== writer.userId);
  const names: StaffName[] = [];
  for (const userId of staffIds) {
    const [membership, user] = await Promise.all([findMembership(deps.db, roomId, userId), findUserById(deps.db, userId)]);
    if (user) names.push({ userId, name: user.displayName });
    if (membership?.nickname) names.push({ userId, name: membership.nickname });
  }
  const posing = impersonatedStaff(nickname, names);
  if (posing) throw new AppError('STAFF_IMPERSONATION', undefined, { field, staffId: posing.userId });
}
