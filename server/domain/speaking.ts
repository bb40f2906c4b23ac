/**
 * May this member speak right now? Mutes, mute-all (全员禁言) and slow mode, enforced on every
 * send on every gateway: the facts live in the database, not in one process's memory.
 */
import { AppError } from '../errors.ts';
import type { Executor } from '../store/db.ts';
import { claimSlowModeSlot, lastSentAtOf, type SpeakerContext } from '../store/members.ts';
import { can } from './permissions.ts';

/** "Until unmuted" is stored as this instant so that one column answers "muted now?". */
export const INDEFINITELY = new Date('9999-12-31T23:59:59.000Z');

export async function ensureMaySpeak(db: Executor, speaker: SpeakerContext, roomId: string, userId: string, now: Date): Promise<void> {
  ensureNotSilenced(speaker, now);
  const seconds = speaker.room.slowModeSeconds;
  if (seconds > 0 && !can(speaker.role, 'message.skipSlowMode')) {
    if (!(await claimSlowModeSlot(db, roomId, userId, seconds, now))) {
      const last = await lastSentAtOf(db, roomId, userId);
      const retryAfterSeconds = last ? Math.max(1, Math.ceil((last.getTime() + seconds * 1000 - now.getTime()) / 1000)) : seconds;
      throw new AppError('SLOW_MODE', `Slow mode: one message every ${seconds} s; try again in ${retryAfterSeconds} s`, {
        slowModeSeconds: seconds,
        retryAfterSeconds,
      });
    }
  }
}

/**
 * The mutes alone, without slow mode: an upload is the first half of a message, so a muted
 * member cannot upload, but the slow-mode slot is claimed by the message that carries it.
 * A member who has not accepted the room's current must-read rules is silent too.
 */
export function ensureNotSilenced(speaker: Pick<SpeakerContext, 'mutedUntil' | 'role' | 'room' | 'acceptedRulesVersion'>, now: Date): void {
  ensureRulesAccepted(speaker);
  if (speaker.mutedUntil && speaker.mutedUntil > now) {
    const until = speaker.mutedUntil.getTime() >= INDEFINITELY.getTime() ? null : speaker.mutedUntil.toISOString();
    throw new AppError('MUTED', until ? `You are muted in this room until ${until}` : 'You are muted in this room until an admin unmutes you', {
      until,
    });
  }
  if (speaker.room.muteAll && !can(speaker.role, 'message.speakDuringMuteAll')) {
    throw new AppError('MUTE_ALL_ACTIVE');
  }
}

/**
 * When the room requires its rules to be accepted, a member speaks only after accepting the
 * current version (a change asks everyone again). The owner and admins, who keep the rules, and
 * bots, who cannot read them, are exempt.
 */
export function ensureRulesAccepted(speaker: Pick<SpeakerContext, 'role' | 'room' | 'acceptedRulesVersion'>): void {
  const required = speaker.room.rulesVersion;
  if (required == null || speaker.role !== 'member') return;
  if ((speaker.acceptedRulesVersion ?? 0) >= required) return;
  throw new AppError('RULES_NOT_ACCEPTED', undefined, { version: required });
}
