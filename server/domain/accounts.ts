/** Sign-up, sign-in, sign-out and resolving a bearer token to the user behind it. */
import { randomUUID } from 'node:crypto';
import type { SignInBody, SignUpBody, User } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';
import { deleteSession, findSessionByTokenHash, insertSession } from '../store/sessions.ts';
import { activeSuspensionOf } from '../store/profiles.ts';
import { findUserById, findUserByUsername, insertUser, toPublicUser } from '../store/users.ts';
import { INDEFINITELY } from './speaking.ts';
import { ensureTextPasses } from './written-text.ts';
import type { DomainDeps } from './deps.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { hashToken, newSessionToken } from './tokens.ts';

export interface Session {
  user: User;
  token: string;
}

export async function signUp(deps: DomainDeps, input: SignUpBody): Promise<Session> {
  const displayName = input.displayName.trim();
  if (displayName === '') throw new AppError('VALIDATION_FAILED', 'displayName must not be blank', { field: 'body.displayName' });
  await ensureTextPasses(deps, displayName, 'body.displayName', { userId: '', role: null }, null);
  const passwordHash = await hashPassword(input.password, deps.config.passwordScryptLogN);
  const user = await insertUser(deps.db, { id: randomUUID(), username: input.username, displayName, passwordHash });
  if (!user) throw new AppError('USERNAME_TAKEN');
  return { user: toPublicUser(user), token: await openSession(deps, user.id) };
}

// Verified against when the username is unknown, so a miss costs as long as a wrong password
// and response times do not reveal which usernames exist.
let decoyHash: Promise<string> | null = null;

export async function signIn(deps: DomainDeps, input: SignInBody): Promise<Session> {
  const user = await findUserByUsername(deps.db, input.username.toLowerCase());
  if (!user || !user.passwordHash) {
    decoyHash ??= hashPassword('decoy password', deps.config.passwordScryptLogN);
    await verifyPassword(input.password, await decoyHash);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) throw new AppError('INVALID_CREDENTIALS');
  // Said only to someone who knows the password: the suspension is theirs to know about.
  const suspension = await activeSuspensionOf(deps.db, user.id, new Date());
  if (suspension) throw new AppError('ACCOUNT_SUSPENDED', undefined, { until: untilOfSuspension(suspension.until), reason: suspension.reason });
  return { user: toPublicUser(user), token: await openSession(deps, user.id) };
}

function untilOfSuspension(until: Date): string | null {
  return until.getTime() >= INDEFINITELY.getTime() ? null : until.toISOString();
}

async function openSession(deps: DomainDeps, userId: string): Promise<string> {
  const token = newSessionToken();
  await insertSession(deps.db, { id: randomUUID(), userId, tokenHash: hashToken(token) });
  return token;
}

export async function signOut(deps: DomainDeps, principal: Principal): Promise<void> {
  await deleteSession(deps.db, principal.sessionId);
  await deps.live.disconnectSession(principal.sessionId);
}

/** Resolves a bearer token; throws UNAUTHENTICATED for a missing, unknown or revoked one. */
export async function authenticate(deps: DomainDeps, token: string | undefined): Promise<Principal> {
  if (!token) throw new AppError('UNAUTHENTICATED');
  const tokenHash = hashToken(token);
  // Remembered per gateway (fact-cache.ts); signing out forgets it on every gateway before it returns.
  const { value: principal } = await deps.sessions.lookup(tokenHash, async (): Promise<Principal | null> => {
    const found = await findSessionByTokenHash(deps.db, tokenHash);
    if (!found) return null;
    return { userId: found.user.id, username: found.user.username, displayName: found.user.displayName, kind: found.user.kind, sessionId: found.sessionId };
  });
  if (!principal) throw new AppError('UNAUTHENTICATED');
  return principal;
}

export async function getUser(deps: DomainDeps, userId: string): Promise<User> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  return toPublicUser(user);
}
