/**
 * Newcomer probation (the room's safety policy `probationSeconds`, "observe before participating"):
 * for a while a member's links, photos and mentions of others wait for review (safety rule
 * probation, attachment rules) and they cannot RSVP to meetups. It counts from joining — or, in a
 * room that requires its must-read rules to be accepted, from the member's first acceptance,
 * so nobody waits it out without having read them. Accepting a later version does not make a
 * member a newcomer again. Owner, admins and bots are not held to the rules, and their
 * probation (where the policy does not exempt them) counts from joining.
 */
import type { SpeakerContext } from '../store/members.ts';

type ProbationFacts = Pick<SpeakerContext, 'role' | 'joinedAt' | 'room' | 'rulesFirstAcceptedAt'>;

/** When the member's probation began; in the future when it has not begun (the rules are still unread). */
export function probationStartOf(speaker: ProbationFacts, now: Date): Date {
  const rulesRequired = speaker.room.rulesVersion != null && speaker.role === 'member';
  if (!rulesRequired) return speaker.joinedAt;
  // Not accepted yet: the member cannot speak anyway (RULES_NOT_ACCEPTED); should anything ask,
  // the whole probation is still ahead of them.
  const accepted = speaker.rulesFirstAcceptedAt ?? now;
  return accepted.getTime() > speaker.joinedAt.getTime() ? accepted : speaker.joinedAt;
}

/** Until when the member is on probation (a time in the past once it is over). */
export function probationEndsAt(speaker: ProbationFacts, probationSeconds: number, now: Date): Date {
  return new Date(probationStartOf(speaker, now).getTime() + probationSeconds * 1000);
}
