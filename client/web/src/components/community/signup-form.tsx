/** Starting a 接龙 sign-up list: a title, an optional example line, a limit and a closing time. */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { SIGNUP_FIELDS as FIELDS, validateSignup, type SignupFields as Fields, serverFieldErrors } from '../../state/community-forms.ts';
import { toWireError, useStore } from '../common.tsx';
import { GeneralError, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field } from './form-field.tsx';


export function SignupForm({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const [f, setF] = useState<Fields>({ title: '', template: '', capacity: '', closesAt: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (name: (typeof FIELDS)[number]) => (value: string) => setF({ ...f, [name]: value });
  const submit = async () => {
    const checked = validateSignup(f);
    setErrors(checked.errors);
    if (!checked.body) return;
    setBusy(true);
    try {
      await store.community.createSignup(roomId, checked.body);
      onClose();
    } catch (e) {
      setErrors(serverFieldErrors(toWireError(e), FIELDS, { TIME_IN_PAST: 'closesAt' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog id="signup-form" title={t('community.create.signup')} submitLabel={t('community.create.submit')} busy={busy} error={<GeneralError errors={errors} />} onCancel={onClose} onSubmit={() => void submit()}>
      <Field form="signup-form" name="title" label={t('community.form.title')} errors={errors} value={f.title} maxLength={LIMITS.title} autofocus placeholder={t('community.form.signupTitleHint')} onInput={set('title')} />
      <Field form="signup-form" name="template" label={t('community.form.template')} errors={errors} value={f.template} maxLength={LIMITS.entry} placeholder={t('community.form.templateHint')} onInput={set('template')} />
      <Field form="signup-form" name="capacity" label={t('community.form.capacity')} type="number" errors={errors} value={f.capacity} hint={t('community.form.capacityHint')} onInput={set('capacity')} />
      <Field form="signup-form" name="closesAt" label={t('community.form.closesAt')} type="datetime-local" errors={errors} value={f.closesAt} onInput={set('closesAt')} />
    </FormDialog>
  );
}
