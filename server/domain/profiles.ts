/**
 * Profiles and privacy: what a user shows of themselves. The display name and bio pass the
 * safety rules like any text people write for others; the avatar is a picture the user uploaded
 * (an attachment of theirs, ready), which anyone signed in may then load. GET /v1/users/:id shows
 * only what the user chose: their name, bio and avatar, and whether they are online only when
 * they show their presence.
 */
import type { Privacy, PrivacyBody, PublicProfile, UpdateProfileBody } from '../../shared/people.ts';
import { AppError } from '../errors.ts';
import { findAttachment, toAttachment } from '../store/attachments.ts';
import { findProfile, updatePrivacy, updateProfile } from '../store/profiles.ts';
import type { DomainDeps } from './deps.ts';
import { tellRooms } from './presence.ts';
import type { Principal } from './principal.ts';
import { ensureTextPasses } from './written-text.ts';

export async function editProfile(deps: DomainDeps, principal: Principal, input: UpdateProfileBody): Promise<PublicProfile> {
  if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'A bot has no profile to edit', { principal: 'bot' });
  const writer = { userId: principal.userId, role: null };
  const values: Parameters<typeof updateProfile>[2] = {};
  if (input.displayName !== undefined) {
    values.displayName = input.displayName.trim();
    if (values.displayName === '') throw new AppError('VALIDATION_FAILED', 'displayName must not be blank', { field: 'body.displayName' });
    await ensureTextPasses(deps, values.displayName, 'body.displayName', writer, null);
  }
  if (input.bio !== undefined) {
    values.bio = input.bio.trim();
    await ensureTextPasses(deps, values.bio, 'body.bio', writer, null);
  }
  if (input.avatarAttachmentId !== undefined) {
    if (input.avatarAttachmentId !== null) await requireAvatarPicture(deps, principal, input.avatarAttachmentId);
    values.avatarAttachmentId = input.avatarAttachmentId;
  }
  await updateProfile(deps.db, principal.userId, values);
  if (values.displayName !== undefined && values.displayName !== principal.displayName) await deps.live.renameUser(principal.userId, values.displayName);
  return profileOf(deps, principal, principal.userId);
}

/** A picture of theirs that members could be shown: not held, blocked, recalled or removed. */
async function requireAvatarPicture(deps: DomainDeps, principal: Principal, attachmentId: string): Promise<void> {
  const row = await findAttachment(deps.db, attachmentId);
  if (!row || row.uploaderId !== principal.userId) throw new AppError('AVATAR_INVALID', undefined, { field: 'body.avatarAttachmentId', reason: 'not_yours' });
  if (row.kind !== 'image' || row.status !== 'ready' || row.recalledAt !== null || row.removedAt !== null) {
    throw new AppError('AVATAR_INVALID', undefined, { field: 'body.avatarAttachmentId', reason: row.kind !== 'image' ? 'not_a_picture' : 'not_ready' });
  }
}

export async function profileOf(deps: DomainDeps, _viewer: Principal, userId: string): Promise<PublicProfile> {
  const record = await findProfile(deps.db, userId);
  if (!record) throw new AppError('USER_NOT_FOUND');
  const base = { id: record.id, username: record.username, displayName: record.displayName, kind: record.kind };
  if (record.deletedAt) return { ...base, bio: '', avatar: null, deleted: true };
  const avatarRow = record.avatarAttachmentId ? await findAttachment(deps.db, record.avatarAttachmentId) : null;
  // Removed since it was chosen (a sweep, a recall): the card falls back to the initial.
  const avatar = avatarRow && avatarRow.removedAt === null && avatarRow.status === 'ready' ? toAttachment(avatarRow) : null;
  const profile: PublicProfile = { ...base, bio: record.bio, avatar };
  if (record.showPresence) profile.online = (await deps.presence.onlineAmong([userId])).has(userId);
  return profile;
}

export async function privacyOf(deps: DomainDeps, principal: Principal): Promise<Privacy> {
  return updatePrivacy(deps.db, principal.userId, {});
}

export async function setPrivacy(deps: DomainDeps, principal: Principal, input: PrivacyBody): Promise<Privacy> {
  const before = await updatePrivacy(deps.db, principal.userId, {});
  const after = await updatePrivacy(deps.db, principal.userId, input);
  // Hiding while online looks like going offline to the rooms; showing again, like coming back.
  if (before.showPresence !== after.showPresence && (await deps.presence.onlineAmong([principal.userId])).has(principal.userId)) {
    await tellRooms(deps, { userId: principal.userId, online: after.showPresence });
  }
  return after;
}
