/**
 * The calendar of a 打卡 challenge. Periods are calendar dates in the challenge's time zone (a
 * day; for weekly, the Monday of the ISO week), computed from the local date, never by adding
 * 24 hours to an instant: a day of 23 or 25 hours at a DST change is still one day, and a month's
 * end is just the day before the 1st.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date at `instant` in `timeZone`, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(instant);
}

/** Calendar arithmetic on YYYY-MM-DD (a date, not an instant: no time zone, no DST). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date;
}

function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export type Cadence = 'daily' | 'weekly';

/** The period a local date falls in. */
export function periodOfDate(date: string, cadence: Cadence): string {
  return cadence === 'daily' ? date : mondayOf(date);
}

export function periodOf(instant: Date, timeZone: string, cadence: Cadence): string {
  return periodOfDate(localDate(instant, timeZone), cadence);
}

export function previousPeriod(period: string, cadence: Cadence): string {
  return addDays(period, cadence === 'daily' ? -1 : -7);
}

/**
 * Periods in a row ending at `current` (or, when `current` is not checked in yet, at the one
 * before it: a streak is not broken before its period is over).
 */
export function streakOf(periods: Iterable<string>, current: string, cadence: Cadence): number {
  const done = new Set(periods);
  let cursor = done.has(current) ? current : previousPeriod(current, cadence);
  let streak = 0;
  while (done.has(cursor)) {
    streak++;
    cursor = previousPeriod(cursor, cadence);
  }
  return streak;
}
