/**
 * Meetup reminders, 24 h and 1 h before: posted once to the room (a system message without the
 * exact place) and told to the confirmed attendees (with it), exactly once across gateways.
 *
 * Each reminder is a row with a message id chosen when the meetup was made. A gateway claims due
 * rows for a lease (store/meetups.ts); one that dies after claiming leaves the row to be claimed
 * again when the lease runs out, so the reminder is not lost. Before posting, the claimer looks
 * for the message by its id: if a previous claimer posted it and died before marking the row,
 * it is only marked. And since the message's id is its primary key, two posts of one reminder
 * cannot both be stored even if a lease ran out while its holder was merely slow.
 */
import { findMeetupRow, claimDueReminders, listAttendees, markReminderPosted, messageExists, readMeetup, type ClaimedReminder } from '../store/meetups.ts';
import type { DomainDeps } from './deps.ts';
import { placeOf } from './events.ts';
import { commitEvent } from './room-events.ts';

const BATCH = 20;

export async function sendDueReminders(deps: DomainDeps, now = new Date()): Promise<number> {
  const claimed = await claimDueReminders(deps.db, now, deps.config.meetupReminderLeaseMs, BATCH);
  for (const reminder of claimed) {
    // A pause between claiming and posting, for tests that stop a gateway right there.
    if (deps.config.meetupReminderPostDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.config.meetupReminderPostDelayMs));
    await sendReminder(deps, reminder);
  }
  return claimed.length;
}

async function sendReminder(deps: DomainDeps, reminder: ClaimedReminder): Promise<void> {
  const row = await findMeetupRow(deps.db, reminder.meetupId);
  const done = () => markReminderPosted(deps.db, reminder.meetupId, reminder.which, new Date());
  // A cancelled meetup reminds no one; one already posted is only marked.
  if (!row || row.cancelledAt || (await messageExists(deps.db, reminder.messageId))) return done();
  const attendeeIds = (await listAttendees(deps.db, row.id)).filter((a) => a.status === 'confirmed').map((a) => a.userId);
  const meetup = await readMeetup(deps.db, row);
  try {
    await commitEvent(deps, { kind: 'meetup.reminder', roomId: row.roomId, meetup, place: placeOf(row), before: reminder.which, messageId: reminder.messageId, attendeeIds });
  } catch (error) {
    // Another claimer stored it first (the id is taken): it is posted, once.
    if (!(await messageExists(deps.db, reminder.messageId))) throw error;
  }
  await done();
}
