/**
 * Creating a meetup (owner and admins): checked here first (a time ahead, an end after the
 * start, RSVPs closing before it), then by the server, whose coded answer goes next to its field.
 * The exact place is said to be for confirmed attendees only, since that is who will see it.
 * A member (where the room lets members propose) sends the same form for the staff to approve.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { MEETUP_FIELDS as FIELDS, validateMeetup, type MeetupFields, serverFieldErrors } from '../../state/community-forms.ts';
import { toWireError, useStore } from '../common.tsx';
import { GeneralError, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field } from './form-field.tsx';


export function MeetupForm({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const [f, setF] = useState<MeetupFields>(() => Object.fromEntries(FIELDS.map((k) => [k, ''])) as MeetupFields);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const proposal = !store.isStaff(roomId);
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
      if (proposal) {
        const event = await store.proposals.propose(roomId, checked.body);
        store.popups.decided({ roomId, eventId: event.id, title: event.title, status: 'sent' });
      } else await store.community.createMeetup(roomId, checked.body);
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
    <FormDialog
      id="meetup-form"
      title={proposal ? t('meetups.propose') : t('community.create.meetup')}
      submitLabel={proposal ? t('meetups.propose.submit') : t('community.create.submit')}
      busy={busy}
      error={<GeneralError errors={errors} />}
      onCancel={onClose}
      onSubmit={() => void submit()}
    >
      {proposal && <p class="muted small">{t('meetups.propose.note')}</p>}
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
