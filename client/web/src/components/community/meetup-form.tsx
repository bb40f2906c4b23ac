/**
 * Creating a meetup (owner and admins): checked here first (a time ahead, an end after the
 * start, RSVPs closing before it), then by the server, whose coded answer goes next to its field.
 * The exact place is said to be for confirmed attendees only, since that is who will see it.
 */
import { useState } from 'preact/hooks';
import type { CreateMeetupBody } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { toWireError, useStore } from '../common.tsx';
import { GeneralError, serverFieldErrors, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field, countOf, instantOf } from './form-field.tsx';

const FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'place.name', 'place.area', 'place.detail', 'capacity', 'rsvpClosesAt'] as const;

export function validateMeetup(f: Record<(typeof FIELDS)[number], string>, now = Date.now()): { errors: FieldErrors; body: CreateMeetupBody | null } {
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

export function MeetupForm({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const [f, setF] = useState<Record<(typeof FIELDS)[number], string>>(() => Object.fromEntries(FIELDS.map((k) => [k, ''])) as Record<(typeof FIELDS)[number], string>);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: (typeof FIELDS)[number]) => (value: string) => {
    setF({ ...f, [name]: value });
    if (errors[name]) setErrors({ ...errors, [name]: '' });
  };
  const submit = async () => {
    const checked = validateMeetup(f);
    setErrors(checked.errors);
    if (!checked.body) return;
    setBusy(true);
    try {
      await store.community.createMeetup(roomId, checked.body);
      onClose();
    } catch (e) {
      setErrors(serverFieldErrors(toWireError(e), FIELDS, { CAPACITY_TOO_LARGE: 'capacity', EVENT_ENDS_BEFORE_START: 'endsAt', TIME_IN_PAST: 'startsAt' }));
    } finally {
      setBusy(false);
    }
  };
  const field = (name: (typeof FIELDS)[number], label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field form="meetup-form" name={name} label={label} errors={errors} value={f[name]} onInput={set(name)} {...extra} />
  );
  return (
    <FormDialog id="meetup-form" title={t('community.create.meetup')} submitLabel={t('community.create.submit')} busy={busy} error={<GeneralError errors={errors} />} onCancel={onClose} onSubmit={() => void submit()}>
      {field('title', t('community.form.title'), { maxLength: LIMITS.title, autofocus: true })}
      {field('startsAt', t('community.form.startsAt'), { type: 'datetime-local' })}
      {field('endsAt', t('community.form.endsAt'), { type: 'datetime-local' })}
      {field('place.name', t('community.form.placeName'), { maxLength: LIMITS.title, placeholder: t('community.form.placeNameHint') })}
      {field('place.area', t('community.form.placeArea'), { maxLength: LIMITS.title })}
      {field('place.detail', t('community.form.placeDetail'), { maxLength: 500, hint: `🔒 ${t('community.form.placeDetailHint')}` })}
      {field('capacity', t('community.form.capacity'), { type: 'number', hint: t('community.form.capacityHint') })}
      {field('rsvpClosesAt', t('community.form.rsvpClosesAt'), { type: 'datetime-local' })}
      {field('description', t('community.form.description'), { multiline: true, maxLength: LIMITS.description })}
    </FormDialog>
  );
}
