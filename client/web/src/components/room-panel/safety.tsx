/** 安全规则: the room's safety policy for owner and admins (GET → edit `stored` → PUT). */
import { useState } from 'preact/hooks';
import type { SafetyPolicy, SafetyPolicyResponse } from '../../../../../shared/schemas.ts';
import { PRESET_DEFAULTS, STRICTNESS_PRESETS, type StrictnessPreset } from '../../../../../shared/safety-presets.ts';
import { errorText, getLang, t } from '../../i18n/index.ts';
import type { WireError } from '../../state/store.ts';
import { Section, toWireError, useAction, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { EXEMPTABLE, KEYWORD_LISTS, LEVELS, RULES, invalidFieldOf, toSafetyForm, toSafetyPolicy, type Level, type SafetyForm } from './safety-form.ts';
export function SafetySection({ roomId }: { roomId: string }) {
  const store = useStore();
  const rest = store.client.rest;
  const [loaded, setLoaded] = useState<SafetyPolicyResponse | null>(null);
  const [form, setForm] = useState<SafetyForm | null>(null);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);
  const accept = (answer: SafetyPolicyResponse) => {
    setLoaded(answer);
    setForm(toSafetyForm(answer.stored));
    setError(null);
  };
  const load = () => void rest.safetyPolicy(roomId).then(accept, (e: unknown) => setError(toWireError(e)));
  const save = async (policy: SafetyPolicy) => {
    setSaved(false);
    await run(async () => {
      accept(await rest.setSafetyPolicy(roomId, policy));
      setSaved(true);
    });
  };
  const edit = (change: Partial<SafetyForm>) => {
    if (!form) return;
    setForm({ ...form, ...change });
    setSaved(false);
  };
  const invalid = invalidFieldOf(error);
  const fieldClass = (name: string) => (invalid === name ? 'invalid' : undefined);
  const applied = loaded?.policy;
  const preset = PRESET_DEFAULTS[form?.strictness ?? 'standard'];
  const countField = (name: 'autoMuteOffences' | 'mentionAllPerDay' | 'raidJoins', field: string, fallback: number) => (
    <label class={fieldClass(field)}>
      {t(`safety.${name}`)}
      <input
        type="number"
        name={name}
        min={0}
        step={1}
        aria-invalid={invalid === field}
        placeholder={String(fallback)}
        value={form?.[name] ?? ''}
        onInput={(e) => edit({ [name]: e.currentTarget.value })}
      />
    </label>
  );

  return (
    <Section title={t('safety.title')} onOpen={load}>
      {!form || !applied ? (
        error ? <SafetyError error={error} /> : <p class="muted">{t('common.loading')}</p>
      ) : (
        <form
          class="settings-form safety-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(toSafetyPolicy(form, loaded.stored));
          }}
        >
          <p class="muted small">{t('safety.intro')}</p>
          <fieldset class={`strictness-presets ${fieldClass('strictness') ?? ''}`}>
            <legend>{t('safety.strictness')}</legend>
            {STRICTNESS_PRESETS.map((name) => (
              <label key={name} class="preset-choice">
                <input type="radio" name="strictness" value={name} checked={(form.strictness ?? 'standard') === name} onChange={() => edit({ strictness: name === 'standard' ? undefined : name })} />
                <span>
                  <strong>{t(`safety.preset.${name}`)}</strong>
                  <span class="muted small preset-about">{presetAbout(name)}</span>
                </span>
              </label>
            ))}
            <p class="muted small">{t('safety.preset.note')}</p>
          </fieldset>
          <fieldset class={fieldClass('rules')}>
            <legend>{t('safety.rules')}</legend>
            {RULES.map((rule) => (
              <label key={rule} class="row spread">
                {t(`safety.rule.${rule}`)}
                <select
                  name={`rule-${rule}`}
                  value={form.rules[rule] ?? ''}
                  onChange={(e) => edit({ rules: { ...form.rules, [rule]: (e.currentTarget.value || undefined) as Level | undefined } })}
                >
                  <option value="">{t('safety.level.default', { level: t(`safety.level.${preset.ruleLevel}`) })}</option>
                  {LEVELS.map((level) => (
                    <option key={level} value={level}>
                      {t(`safety.level.${level}`)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <fieldset class={fieldClass('keywords')}>
            <legend>{t('safety.keywords')}</legend>
            {KEYWORD_LISTS.map((list) => (
              <label key={list}>
                {t(`safety.keywords.${list}`)}
                <textarea name={`keywords-${list}`} rows={2} value={form.keywords[list]} onInput={(e) => edit({ keywords: { ...form.keywords, [list]: e.currentTarget.value } })} />
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('safety.domains')}</legend>
            {(['allowedDomains', 'deniedDomains'] as const).map((key) => (
              <label key={key} class={fieldClass(key)}>
                {t(`safety.${key}`)}
                <textarea name={key} rows={2} spellcheck={false} aria-invalid={invalid === key} value={form[key]} onInput={(e) => edit({ [key]: e.currentTarget.value })} />
              </label>
            ))}
          </fieldset>
          <fieldset class={fieldClass('exemptRoles')}>
            <legend>{t('safety.exemptRoles')}</legend>
            {EXEMPTABLE.map((role) => {
              const current = form.exemptRoles ?? applied.exemptRoles ?? [];
              return (
                <label key={role} class="row">
                  <input
                    type="checkbox"
                    name={`exempt-${role}`}
                    checked={current.includes(role)}
                    onChange={(e) => edit({ exemptRoles: e.currentTarget.checked ? [...current.filter((r) => r !== role), role] : current.filter((r) => r !== role) })}
                  />
                  {t(`panel.role.${role}`)}
                </label>
              );
            })}
          </fieldset>
          <label class={fieldClass('probationSeconds')}>
            {t('safety.probationSeconds')}
            <input
              type="number"
              name="probationSeconds"
              min={0}
              step={1}
              aria-invalid={invalid === 'probationSeconds'}
              placeholder={String(preset.probationSeconds)}
              value={form.probationSeconds}
              onInput={(e) => edit({ probationSeconds: e.currentTarget.value })}
            />
          </label>
          <label class={fieldClass('privacyAction')}>
            {t('safety.privacyAction')}
            <select name="privacyAction" value={form.privacyAction ?? ''} onChange={(e) => edit({ privacyAction: (e.currentTarget.value || undefined) as SafetyForm['privacyAction'] })}>
              <option value="">{t('safety.privacy.default', { action: t(`safety.privacy.${preset.privacyAction}`) })}</option>
              <option value="flag">{t('safety.privacy.flag')}</option>
              <option value="hold">{t('safety.privacy.hold')}</option>
            </select>
          </label>
          <fieldset class="safety-counts">
            <legend>{t('safety.counts')}</legend>
            {countField('autoMuteOffences', 'autoMute', preset.autoMute.offences)}
            {countField('mentionAllPerDay', 'mentionAllPerDay', preset.mentionAllPerDay)}
            {countField('raidJoins', 'raid', preset.raidJoins)}
          </fieldset>
          <SafetyError error={error} />
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {saved ? t('panel.saved') : t('safety.save')}
            </button>
            <button type="button" disabled={busy} onClick={() => confirmFirst(t('safety.resetConfirm'), { confirmLabel: t('safety.reset') }, () => save({}))}>
              {t('safety.reset')}
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

/** What a preset means, with the figures the server applies (shared/safety-presets.ts). */
function presetAbout(name: StrictnessPreset): string {
  const preset = PRESET_DEFAULTS[name];
  const span = preset.probationSeconds >= 86400
    ? new Intl.NumberFormat(getLang(), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(preset.probationSeconds / 86400)
    : new Intl.NumberFormat(getLang(), { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(preset.probationSeconds / 60);
  return t(`safety.preset.${name}.about`, { probation: span, offences: preset.autoMute.offences, mentions: preset.mentionAllPerDay, joins: preset.raidJoins });
}

/** A refused policy: the translated reason, and which field and why in the server's words. */
function SafetyError({ error }: { error: WireError | null }) {
  if (!error) return null;
  const field = typeof error.details?.field === 'string' ? error.details.field : null;
  return (
    <div class="error-line safety-error" role="alert" data-code={error.code}>
      <p>
        {error.code === 'VALIDATION_FAILED' ? t('safety.invalid') : ''} {errorText(error)}
      </p>
      {field && (
        <p>
          {t('safety.field')}: <code>{field}</code>
        </p>
      )}
      {error.message && error.message !== errorText(error) && <p class="server-message muted small">{error.message}</p>}
    </div>
  );
}
