/**
 * Creating a poll: a question and 2 to 20 different options (compared as the server does,
 * trimmed and ignoring case), one or several choices, anonymous or not, an optional closing time.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { validatePoll, type PollFields, serverFieldErrors } from '../../state/community-forms.ts';
import { toWireError, useStore } from '../common.tsx';
import { FieldError, GeneralError, fieldAria, type FieldErrors } from './card-frame.tsx';
import { FormDialog } from './dialogs.tsx';
import { Field } from './form-field.tsx';


export function PollForm({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const [f, setF] = useState<PollFields>({ question: '', options: ['', ''], multiple: false, anonymous: false, closesAt: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const setOption = (i: number, value: string) => setF({ ...f, options: f.options.map((o, j) => (j === i ? value : o)) });
  const submit = async () => {
    const checked = validatePoll(f);
    setErrors(checked.errors);
    if (!checked.body) return;
    setBusy(true);
    try {
      await store.community.createPoll(roomId, checked.body);
      onClose();
    } catch (e) {
      const wire = toWireError(e);
      // The server numbers the options it was sent (the filled ones): back to the field they came from.
      const filledAt = f.options.map((o, i) => (o.trim() ? i : -1)).filter((i) => i >= 0);
      const field = /^body\.options\.(\d+)$/.exec(String(wire.details?.field ?? ''));
      const mapped = field ? { ...wire, details: { ...wire.details, field: `options.${filledAt[Number(field[1])] ?? 0}` } } : wire;
      setErrors(serverFieldErrors(mapped, ['question', 'closesAt', 'options', ...f.options.map((_, i) => `options.${i}`)], { POLL_OPTIONS_INVALID: 'options' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog id="poll-form" title={t('community.create.poll')} submitLabel={t('community.create.submit')} busy={busy} error={<GeneralError errors={errors} />} onCancel={onClose} onSubmit={() => void submit()}>
      <Field form="poll-form" name="question" label={t('community.form.question')} errors={errors} value={f.question} maxLength={LIMITS.title} autofocus onInput={(question) => setF({ ...f, question })} />
      <fieldset class="poll-form-options" {...fieldAria('poll-form', errors, 'options')}>
        <legend>{t('community.form.options')}</legend>
        {f.options.map((option, i) => (
          <div class="poll-form-option" key={i}>
            <input
              name={`options.${i}`}
              value={option}
              maxLength={LIMITS.option}
              aria-label={t('community.form.option', { n: i + 1 })}
              placeholder={t('community.form.option', { n: i + 1 })}
              {...fieldAria('poll-form', errors, `options.${i}`)}
              onInput={(e) => setOption(i, e.currentTarget.value)}
            />
            {f.options.length > LIMITS.minOptions && (
              <button type="button" class="ghost small" aria-label={t('community.form.removeOption', { n: i + 1 })} onClick={() => setF({ ...f, options: f.options.filter((_, j) => j !== i) })}>
                ✕
              </button>
            )}
            <FieldError id="poll-form" errors={errors} field={`options.${i}`} />
          </div>
        ))}
        {f.options.length < LIMITS.maxOptions && (
          <button type="button" class="small poll-add-option" onClick={() => setF({ ...f, options: [...f.options, ''] })}>
            + {t('community.form.addOption')}
          </button>
        )}
        <FieldError id="poll-form" errors={errors} field="options" />
      </fieldset>
      <label class="row">
        <input type="checkbox" name="multiple" checked={f.multiple} onChange={(e) => setF({ ...f, multiple: e.currentTarget.checked })} />
        {t('community.form.multiple')}
      </label>
      <label class="row">
        <input type="checkbox" name="anonymous" checked={f.anonymous} onChange={(e) => setF({ ...f, anonymous: e.currentTarget.checked })} />
        {t('community.form.anonymous')}
      </label>
      {f.anonymous && <p class="muted small">🕶️ {t('community.form.anonymousHint')}</p>}
      <Field form="poll-form" name="closesAt" label={t('community.form.closesAt')} type="datetime-local" errors={errors} value={f.closesAt} onInput={(closesAt) => setF({ ...f, closesAt })} />
    </FormDialog>
  );
}
