/** Every gateway looks for due meetup reminders; claiming decides which one sends each (see domain/meetup-reminders.ts). */
import type { DomainDeps } from '../domain/deps.ts';
import { sendDueReminders } from '../domain/meetup-reminders.ts';
import { startPeriodic, type Job } from './periodic.ts';

export function startMeetupReminders(deps: DomainDeps): Job {
  return startPeriodic({
    firstAfterMs: deps.config.meetupReminderTickMs,
    everyMs: deps.config.meetupReminderTickMs,
    log: deps.log,
    failure: 'meetup reminders failed; will retry',
    run: async () => {
      // Keeps going while full batches come back, so a backlog after an outage is cleared at once.
      while ((await sendDueReminders(deps)) > 0);
    },
  });
}
