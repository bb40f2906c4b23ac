/**
 * 接龙 sign-up lists: any member starts one; members add one line each, edit or remove it; the
 * author or staff close it. Appends to one list are serialized by its row lock, so whatever the
 * number of gateways, no line is lost or doubled and the capacity holds. Positions are dense
 * 1..n in append order, and a removed line closes its gap (the lines after it move up one): a
 * 接龙 is read as a count, "I am number 7" means seven are going.
 */
import { randomUUID } from 'node:crypto';
import type { CreateSignupBody, HeldSignupEntriesResponse, Signup, SignupEntry } from '../../shared/community.ts';
import { AppError } from '../errors.ts';
import type { SafetyReason } from '../safety/types.ts';
import { updateCardData } from '../store/cards.ts';
import type { Executor } from '../store/db.ts';
import type { SpeakerContext } from '../store/members.ts';
import {
  closeSignupRow,
  countListed,
  deleteEntry,
  deleteHeldEntry,
  heldEntries,
  listHeldEntry,
  findEntry,
  findSignupRow,
  insertEntry,
  insertSignup,
  isSignupClosed,
  lockSignup,
  readSignup,
  updateEntryText,
  type SignupRow,
} from '../store/signups.ts';
import type { DomainDeps } from './deps.ts';
import { futureTime, requireParticipant } from './participation.ts';
import { probationStartOf } from './probation.ts';
import { authorize, can } from './permissions.ts';
import type { Principal } from './principal.ts';
import { requireMembership } from './rooms.ts';
import { actor, commit } from './room-events.ts';
import { policyFor } from './safety-gate.ts';
import { ensureTextPasses } from './written-text.ts';

export async function createSignup(deps: DomainDeps, principal: Principal, roomId: string, input: CreateSignupBody): Promise<Signup> {
  const now = new Date();
  const title = input.title.trim();
  if (title === '') throw new AppError('VALIDATION_FAILED', 'A sign-up list needs a title', { field: 'body.title' });
  const closesAt = futureTime(input.closesAt, 'body.closesAt', now);
  const speaker = await requireParticipant(deps, principal, roomId, now);
  const writer = { userId: principal.userId, role: speaker.role };
  await ensureTextPasses(deps, title, 'body.title', writer, roomId);
  const template = input.template?.trim() || null;
  if (template) await ensureTextPasses(deps, template, 'body.template', writer, roomId);

  const row: SignupRow = {
    id: randomUUID(),
    roomId,
    messageId: randomUUID(),
    authorId: principal.userId,
    title,
    template,
    capacity: input.capacity ?? null,
    closesAt,
    closedAt: null,
    createdAt: now,
  };
  return commit(deps, async (tx) => {
    await insertSignup(tx, row);
    const signup = await readSignup(tx, row, now);
    return { events: { kind: 'signup.created', roomId, signup, by: actor(principal) }, value: signup };
  });
}

export async function viewSignup(deps: DomainDeps, principal: Principal, signupId: string): Promise<Signup> {
  const row = await findSignupRow(deps.db, signupId);
  if (!row) throw new AppError('SIGNUP_NOT_FOUND');
  await requireMembership(deps.db, principal, row.roomId);
  return readSignup(deps.db, row, new Date());
}

/** Adds the member's line at the end; a line the safety rules hold waits for staff (HELD_FOR_REVIEW). */
export async function appendEntry(deps: DomainDeps, principal: Principal, signupId: string, input: { text?: string }): Promise<{ entry: SignupEntry; signup: Signup }> {
  const now = new Date();
  const text = input.text?.trim() ?? '';
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  const speaker = await requireParticipant(deps, principal, found.roomId, now);
  const held = judgeLine(deps, principal, speaker, found.roomId, text);

  const outcome = await commit(deps, async (tx) => {
    const row = await openList(tx, signupId, now);
    if (await findEntry(tx, signupId, principal.userId)) throw new AppError('ALREADY_SIGNED_UP');
    if (held) {
      await insertEntry(tx, { signupId, userId: principal.userId, text, status: 'held', reasons: held });
      return { events: { kind: 'signup.entryHeld', roomId: row.roomId, signupId, userId: principal.userId, reasons: held }, value: null };
    }
    if (row.capacity !== null && (await countListed(tx, signupId)) >= row.capacity) {
      throw new AppError('SIGNUP_FULL', `This list is full (${row.capacity} places)`, { capacity: row.capacity });
    }
    await insertEntry(tx, { signupId, userId: principal.userId, text, status: 'listed' });
    const signup = await refreshCard(tx, row, now);
    return { events: { kind: 'signup.changed', roomId: row.roomId, signup, op: 'added', userId: principal.userId }, value: signup };
  });
  if (!outcome) {
    throw new AppError('HELD_FOR_REVIEW', 'Your line is waiting for an admin to review it', { signupId, reasons: held!.map((r) => ({ code: r.code, message: r.message })) });
  }
  return { entry: lineOf(outcome, principal.userId), signup: outcome };
}

export async function editEntry(deps: DomainDeps, principal: Principal, signupId: string, input: { text: string }): Promise<{ entry: SignupEntry; signup: Signup }> {
  const now = new Date();
  const text = input.text.trim();
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  const speaker = await requireParticipant(deps, principal, found.roomId, now);
  // An edit of a listed line has no review queue to wait in: what would be held is refused.
  const held = judgeLine(deps, principal, speaker, found.roomId, text);
  if (held) {
    const reasons = held.map((r) => ({ code: r.code, message: r.message }));
    throw new AppError('BLOCKED_BY_SAFETY', `Not allowed in body.text: ${reasons.map((r) => r.message).join(' ')}`, { field: 'body.text', reasons });
  }
  const signup = await commit(deps, async (tx) => {
    const row = await openList(tx, signupId, now);
    if (!(await updateEntryText(tx, signupId, principal.userId, text))) throw new AppError('ENTRY_NOT_FOUND');
    const signup = await refreshCard(tx, row, now);
    return { events: { kind: 'signup.changed', roomId: row.roomId, signup, op: 'edited', userId: principal.userId }, value: signup };
  });
  return { entry: lineOf(signup, principal.userId), signup };
}

export async function removeEntry(deps: DomainDeps, principal: Principal, signupId: string): Promise<Signup> {
  const now = new Date();
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  await requireMembership(deps.db, principal, found.roomId);
  return commit(deps, async (tx) => {
    const row = await openList(tx, signupId, now);
    const mine = await findEntry(tx, signupId, principal.userId);
    if (!mine || !(await deleteEntry(tx, signupId, principal.userId))) throw new AppError('ENTRY_NOT_FOUND');
    // A held line was never shown: taking it back changes nothing anyone sees.
    if (mine.status !== 'listed') return { events: null, value: await readSignup(tx, row, now) };
    const signup = await refreshCard(tx, row, now);
    return { events: { kind: 'signup.changed', roomId: row.roomId, signup, op: 'removed', userId: principal.userId }, value: signup };
  });
}

export async function closeSignup(deps: DomainDeps, principal: Principal, signupId: string): Promise<Signup> {
  const now = new Date();
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  if (found.authorId !== principal.userId && !can(role, 'community.manage')) {
    throw new AppError('FORBIDDEN', 'Only its author, the owner or an admin may close this list', { action: 'community.manage', role });
  }
  return commit(deps, async (tx) => {
    const row = await openList(tx, signupId, now);
    await closeSignupRow(tx, signupId, now);
    const signup = await refreshCard(tx, { ...row, closedAt: now }, now);
    return { events: { kind: 'signup.closed', roomId: row.roomId, signup, by: actor(principal) }, value: signup };
  });
}

/** Owner and admins: the lines waiting for their review on this list (the `review:new` notices, for whoever missed them). */
export async function listHeldEntries(deps: DomainDeps, principal: Principal, signupId: string): Promise<HeldSignupEntriesResponse> {
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  authorize(role, 'review.decide');
  const rows = await heldEntries(deps.db, signupId);
  return {
    held: rows.map((row) => ({
      user: { id: row.userId, displayName: row.displayName },
      text: row.text,
      reasons: (Array.isArray(row.reasons) ? (row.reasons as SafetyReason[]) : []).map((r) => ({ code: r.code, message: r.message })),
      addedAt: row.addedAt.toISOString(),
    })),
  };
}

/**
 * Staff decide on a held line: approved, it is listed at the end (if the list still has room);
 * rejected, it is dropped. The member and the staff are told (`review:decided`).
 */
export async function decideHeldEntry(deps: DomainDeps, principal: Principal, signupId: string, userId: string, decision: 'approved' | 'rejected'): Promise<Signup> {
  const now = new Date();
  const found = await findSignupRow(deps.db, signupId);
  if (!found) throw new AppError('SIGNUP_NOT_FOUND');
  const { role } = await requireMembership(deps.db, principal, found.roomId);
  authorize(role, 'review.decide');
  return commit(deps, async (tx) => {
    const row = await openList(tx, signupId, now);
    const by = actor(principal);
    if (decision === 'rejected') {
      if (!(await deleteHeldEntry(tx, signupId, userId))) throw new AppError('ENTRY_NOT_FOUND', 'No held line of that member on this list');
      return { events: { kind: 'signup.entryDecided', roomId: row.roomId, signupId, userId, decision, position: null, by }, value: await readSignup(tx, row, now) };
    }
    if (row.capacity !== null && (await countListed(tx, signupId)) >= row.capacity) throw new AppError('SIGNUP_FULL', undefined, { capacity: row.capacity });
    if (!(await listHeldEntry(tx, signupId, userId, now))) throw new AppError('ENTRY_NOT_FOUND', 'No held line of that member on this list');
    const signup = await refreshCard(tx, row, now);
    const position = signup.entries.find((e) => e.user.id === userId)?.position ?? null;
    return {
      events: [
        { kind: 'signup.entryDecided', roomId: row.roomId, signupId, userId, decision, position, by },
        { kind: 'signup.changed', roomId: row.roomId, signup, op: 'added', userId },
      ],
      value: signup,
    };
  });
}

/** Locks the list and refuses when it is gone or closed. */
async function openList(tx: Executor, signupId: string, now: Date): Promise<SignupRow> {
  const row = await lockSignup(tx, signupId);
  if (!row) throw new AppError('SIGNUP_NOT_FOUND');
  if (isSignupClosed(row, now)) throw new AppError('SIGNUP_CLOSED');
  return row;
}

/** Reads the list as it is now and makes its card say so. */
async function refreshCard(tx: Executor, row: SignupRow, now: Date): Promise<Signup> {
  const signup = await readSignup(tx, row, now);
  await updateCardData(tx, row.messageId, { event: 'signup', signup });
  return signup;
}

function lineOf(signup: Signup, userId: string): SignupEntry {
  const entry = signup.entries.find((e) => e.user.id === userId);
  if (!entry) throw new Error('the line just written is not on the list');
  return entry;
}

/**
 * A line is judged like a message (probation included): blocked findings refuse it, held ones
 * keep it for staff; returns the reasons when it is to be held.
 */
function judgeLine(deps: DomainDeps, principal: Principal, speaker: SpeakerContext, roomId: string, text: string): SafetyReason[] | null {
  if (text === '') return null;
  const verdict = deps.safety.inspect(text, {
    roomId,
    sender: { id: principal.userId, role: speaker.role, joinedAt: probationStartOf(speaker, new Date()) },
    policy: policyFor(roomId, speaker.room.safetyPolicy),
    now: Date.now(),
  });
  deps.metrics.safetyVerdict(verdict.action);
  if (verdict.action === 'block') {
    const reasons = verdict.reasons.filter((r) => r.action === 'block').map((r) => ({ code: r.code, message: r.message }));
    throw new AppError('BLOCKED_BY_SAFETY', `Not allowed in body.text: ${reasons.map((r) => r.message).join(' ')}`, { field: 'body.text', reasons });
  }
  return verdict.action === 'hold' ? verdict.reasons : null;
}
