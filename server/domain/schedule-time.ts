/**
 * When a schedule runs next, in its IANA time zone, with nothing but Intl: "every Friday 20:00
 * Asia/Shanghai" is found by walking local calendar days and converting the local wall time to
 * an instant. Across a DST change the wall time keeps (20:00 stays 20:00); a wall time skipped by
 * the change runs at the nearest instant after it.
 */
import type { ScheduleSpec } from '../../shared/schemas.ts';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function wallClock(timeZone: string, instant: number) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far the zone's wall clock is ahead of UTC at that instant. */
function offsetAt(timeZone: string, instant: number): number {
  const w = wallClock(timeZone, instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant when the zone's wall clock shows that local date and time. */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - offsetAt(timeZone, asUtc);
  const second = asUtc - offsetAt(timeZone, first);
  return first === second ? first : Math.max(first, second);
}

/**
 * The first run strictly after `after`. `previousDue` (the run just claimed) keeps an interval
 * schedule on its grid instead of drifting by the claim delay. Null: no further run.
 */
export function nextRun(spec: ScheduleSpec, timeZone: string, after: Date, previousDue?: Date): Date | null {
  const now = after.getTime();
  switch (spec.type) {
    case 'once': {
      const at = Date.parse(spec.at);
      return previousDue === undefined && at > now ? new Date(at) : null;
    }
    case 'interval': {
      const every = spec.everySeconds * 1000;
      const base = previousDue?.getTime() ?? now;
      const steps = Math.max(1, Math.floor((now - base) / every) + 1);
      return new Date(base + steps * every);
    }
    case 'daily':
    case 'weekly': {
      const [hour, minute] = spec.time.split(':').map(Number) as [number, number];
      const today = wallClock(timeZone, now);
      for (let i = 0; i <= 8; i++) {
        const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
        if (spec.type === 'weekly' && !spec.days.includes(WEEKDAYS[date.getUTCDay()]!)) continue;
        const at = zonedTime(timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute);
        if (at > now) return new Date(at);
      }
      return null;
    }
  }
}
