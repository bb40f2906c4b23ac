/**
 * The create forms' checks, made before asking the server (which checks again and answers with
 * a code): each turns what was typed into a request body, or into errors by field ("title",
 * "options.2", "place.name", the server's `details.field` without "body."). Pure, so tested alone.
 */
import type { CreateChallengeBody, CreateMeetupBody, CreatePollBody, CreateSignupBody } from '../../../../shared/community.ts';
import { errorText, t } from '../i18n/index.ts';
import { LIMITS } from './community.ts';
import type { WireError } from './outbox.ts';

/** Errors by field; `general` for what names no field shown. */
export type FieldErrors = Record<string, string>;

/** The field a server error is about, without the "body." prefix ("title", "options.2"). */
export function fieldOf(error: WireError | null): string | null {
  const field = error?.details?.field;
  return typeof field === 'string' ? field.replace(/^body\./, '') : null;
}

/** The server's error as field errors: next to its field when it names one we show. */
export function serverFieldErrors(error: WireError, fields: readonly string[], fallbackField: Partial<Record<string, string>> = {}): FieldErrors {
  const field = fieldOf(error) ?? fallbackField[error.code] ?? null;
  const text = errorText(error);
  if (field && fields.includes(field)) return { [field]: text };
  return { general: text };
}

/** A datetime-local value as an instant (null when empty or not a time). */
export function instantOf(local: string): Date | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A whole number ≥ 1 from a field, undefined when empty, NaN when not one. */
export function countOf(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Today's date (YYYY-MM-DD) in `timeZone`; the browser's own zone if it does not know that one. */
export function todayIn(timeZone: string): string {
  const parts = (zone?: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  try {
    return parts(timeZone);
  } catch {
    return parts();
  }
}

export const MEETUP_FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'place.name', 'place.area', 'place.detail', 'capacity', 'rsvpClosesAt'] as const;

export type MeetupFields = Record<(typeof MEETUP_FIELDS)[number], string>;

export function validateMeetup(f: MeetupFields, now = Date.now()): { errors: FieldErrors; body: CreateMeetupBody | null } {
  const errors: FieldErrors = {};
  if (!f.title.trim()) errors.title = t('form.required');
  if (!f['place.name'].trim()) errors['place.name'] = t('form.required');
  const startsAt = instantOf(f.startsAt);
  const endsAt = instantOf(f.endsAt);
  const closes = instantOf(f.rsvpClosesAt);
  if (!startsAt) errors.startsAt = t('form.required');
  else if (startsAt.getTime() <= now) errors.startsAt = t('error.TIME_IN_PAST');
  if (f.endsAt && !endsAt) errors.endsAt = t('form.invalid');
  else if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) errors.endsAt = t('error.EVENT_ENDS_BEFORE_START');
  if (closes && closes.getTime() <= now) errors.rsvpClosesAt = t('error.TIME_IN_PAST');
  else if (closes && startsAt && closes.getTime() > startsAt.getTime()) errors.rsvpClosesAt = t('community.form.rsvpAfterStart');
  const capacity = countOf(f.capacity);
  if (capacity !== undefined && !(capacity >= 1)) errors.capacity = t('community.form.capacityInvalid');
  if (Object.keys(errors).length > 0 || !startsAt) return { errors, body: null };
  const place = { name: f['place.name'].trim(), ...(f['place.area'].trim() ? { area: f['place.area'].trim() } : {}), ...(f['place.detail'].trim() ? { detail: f['place.detail'].trim() } : {}) };
  return {
    errors,
    body: {
      title: f.title.trim(),
      ...(f.description.trim() ? { description: f.description.trim() } : {}),
      startsAt: startsAt.toISOString(),
      ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
      place,
      ...(capacity !== undefined ? { capacity } : {}),
      ...(closes ? { rsvpClosesAt: closes.toISOString() } : {}),
    },
  };
}

export interface PollFields {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closesAt: string;
}

export function validatePoll(f: PollFields, now = Date.now()): { errors: FieldErrors; body: CreatePollBody | null } {
  const errors: FieldErrors = {};
  if (!f.question.trim()) errors.question = t('form.required');
  const filled = f.options.map((o, i) => ({ text: o.trim(), i })).filter((o) => o.text !== '');
  const seen = new Set<string>();
  for (const o of filled) {
    const key = o.text.toLowerCase();
    if (seen.has(key)) errors[`options.${o.i}`] = t('community.form.optionRepeated');
    seen.add(key);
  }
  if (filled.length < LIMITS.minOptions) errors.options = t('community.form.optionsTooFew');
  if (filled.length > LIMITS.maxOptions) errors.options = t('community.form.optionsTooMany');
  const closes = instantOf(f.closesAt);
  if (closes && closes.getTime() <= now) errors.closesAt = t('error.TIME_IN_PAST');
  if (Object.keys(errors).length > 0) return { errors, body: null };
  return {
    errors,
    body: { question: f.question.trim(), options: filled.map((o) => o.text), ...(f.multiple ? { multiple: true } : {}), ...(f.anonymous ? { anonymous: true } : {}), ...(closes ? { closesAt: closes.toISOString() } : {}) },
  };
}

export const SIGNUP_FIELDS = ['title', 'template', 'capacity', 'closesAt'] as const;
export type SignupFields = Record<(typeof SIGNUP_FIELDS)[number], string>;

export function validateSignup(f: SignupFields, now = Date.now()): { errors: FieldErrors; body: CreateSignupBody | null } {
  const errors: FieldErrors = {};
  if (!f.title.trim()) errors.title = t('form.required');
  const capacity = countOf(f.capacity);
  if (capacity !== undefined && !(capacity >= 1 && capacity <= LIMITS.signupCapacity)) errors.capacity = t('community.form.capacityInvalid');
  const closes = instantOf(f.closesAt);
  if (closes && closes.getTime() <= now) errors.closesAt = t('error.TIME_IN_PAST');
  if (Object.keys(errors).length > 0) return { errors, body: null };
  return {
    errors,
    body: {
      title: f.title.trim(),
      ...(f.template.trim() ? { template: f.template.trim() } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
      ...(closes ? { closesAt: closes.toISOString() } : {}),
    },
  };
}

export const CHALLENGE_FIELDS = ['title', 'cadence', 'startsOn', 'endsOn', 'timezone'] as const;
export type ChallengeFields = Record<(typeof CHALLENGE_FIELDS)[number], string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateChallenge(f: ChallengeFields): { errors: FieldErrors; body: CreateChallengeBody | null } {
  const errors: FieldErrors = {};
  if (!f.title.trim()) errors.title = t('form.required');
  if (!DATE.test(f.startsOn)) errors.startsOn = t('form.required');
  if (!DATE.test(f.endsOn)) errors.endsOn = t('form.required');
  else if (DATE.test(f.startsOn) && f.endsOn < f.startsOn) errors.endsOn = t('error.CHALLENGE_DATES_INVALID');
  else if (f.endsOn < todayIn(f.timezone)) errors.endsOn = t('error.TIME_IN_PAST');
  if (!f.timezone.trim()) errors.timezone = t('form.required');
  if (Object.keys(errors).length > 0) return { errors, body: null };
  return { errors, body: { title: f.title.trim(), cadence: f.cadence === 'weekly' ? 'weekly' : 'daily', startsOn: f.startsOn, endsOn: f.endsOn, timezone: f.timezone.trim() } };
}
