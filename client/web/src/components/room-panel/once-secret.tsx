/** A secret shown once: the value, a copy button and the warning. */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
export function OnceSecret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="once-secret" role="status">
      <p class="small">
        <strong>{label}</strong> <span class="tag warn">{t('bots.onceWarning')}</span>
      </p>
      <code class="secret-value">{value}</code>
      <div class="row">
        <button type="button" class="small" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => {})}>
          {copied ? t('panel.copied') : t('panel.copy')}
        </button>
        <button type="button" class="small ghost" onClick={onDone}>
          {t('bots.done')}
        </button>
      </div>
    </div>
  );
}
