/** Starting a 打卡 check-in challenge: daily or weekly, from one date to another, in a time zone (mine by default). */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { CHALLENGE_FIELDS as FIELDS, todayIn, validateChallenge, type ChallengeFields as Fields, serverFieldErrors } from '../../state/community-forms.ts';
import { toWireError, useStore } from '../common.tsx';
import { FieldError, GeneralError, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field } from './form-field.tsx';


function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function ChallengeForm({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const today = todayIn(zone);
  const [f, setF] = useState<Fields>({ title: '', cadence: 'daily', startsOn: today, endsOn: addDays(today, 20), timezone: zone });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: (typeof FIELDS)[number]) => (value: string) => setF({ ...f, [name]: value });
  const submit = async () => {
    const checked = validateChallenge(f);
    setErrors(checked.errors);
    if (!checked.body) return;
    setBusy(true);
    try {
      await store.community.createChallenge(roomId, checked.body);
      onClose();
    } catch (e) {
      setErrors(serverFieldErrors(toWireError(e), FIELDS, { CHALLENGE_DATES_INVALID: 'endsOn', TIME_ZONE_INVALID: 'timezone' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog id="challenge-form" title={t('community.create.challenge')} submitLabel={t('community.create.submit')} busy={busy} error={<GeneralError errors={errors} />} onCancel={onClose} onSubmit={() => void submit()}>
      <Field form="challenge-form" name="title" label={t('community.form.title')} errors={errors} value={f.title} maxLength={LIMITS.title} autofocus placeholder={t('community.form.challengeTitleHint')} onInput={set('title')} />
      <label class="form-field" for="challenge-form-cadence">
        <span>{t('community.form.cadence')}</span>
        <select id="challenge-form-cadence" name="cadence" value={f.cadence} onChange={(e) => set('cadence')(e.currentTarget.value)}>
          <option value="daily">{t('community.challenge.daily')}</option>
          <option value="weekly">{t('community.challenge.weekly')}</option>
        </select>
        <FieldError id="challenge-form" errors={errors} field="cadence" />
      </label>
      <Field form="challenge-form" name="startsOn" label={t('community.form.startsOn')} type="date" errors={errors} value={f.startsOn} onInput={set('startsOn')} />
      <Field form="challenge-form" name="endsOn" label={t('community.form.endsOn')} type="date" errors={errors} value={f.endsOn} onInput={set('endsOn')} />
      <Field form="challenge-form" name="timezone" label={t('community.form.timezone')} errors={errors} value={f.timezone} maxLength={64} onInput={set('timezone')} />
    </FormDialog>
  );
}
