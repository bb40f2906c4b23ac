/** Starting a 接龙 sign-up list: a title, an optional example line, a limit and a closing time. */
import { useState } from 'preact/hooks';
import type { CreateSignupBody } from '../../../../../shared/community.ts';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { toWireError, useStore } from '../common.tsx';
import { GeneralError, serverFieldErrors, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field, countOf, instantOf } from './form-field.tsx';

const FIELDS = ['title', 'template', 'capacity', 'closesAt'] as const;
type Fields = Record<(typeof FIELDS)[number], string>;

export function validateSignup(f: Fields, now = Date.now()): { errors: FieldErrors; body: CreateSignupBody | null } {
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
