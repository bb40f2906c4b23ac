/**
 * The room panel's Rules section (群规): the must-read rules for everyone, with my acceptance;
 * for owner and admins the text and whether members must accept it before taking part. Every
 * save is a new version, which asks everyone again.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { LIMITS } from '../../state/community.ts';
import { ErrorLine, Section, useAction, useStore } from '../common.tsx';

export function RulesSection({ roomId, staff }: { roomId: string; staff: boolean }) {
  const store = useStore();
  const community = store.community;
  const current = community.rules.get(roomId);
  const rules = current?.rules ?? null;
  const [text, setText] = useState<string | null>(null);
  const [require, setRequire] = useState<boolean | null>(null);
  const { busy, error, run } = useAction();
  if (!staff && !rules) return null;
  const draft = text ?? rules?.text ?? '';
  const required = require ?? rules?.requireAcceptance ?? false;
  return (
    <Section title={t('community.rules.title')} onOpen={() => void community.loadRules(roomId).catch(() => {})}>
      {rules && !staff && <div class="rules-text">{rules.text}</div>}
      {rules && !staff && (current?.mustAccept ? (
        <button type="button" class="primary small" onClick={() => community.showRules(roomId, current)}>
          {t('community.rules.read')}
        </button>
      ) : (
        <p class="muted small">{t('community.rules.version', { version: rules.version })}</p>
      ))}
      {staff && (
        <form
          class="rules-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await community.saveRules(roomId, draft.trim(), required);
              setText(null);
              setRequire(null);
            });
          }}
        >
          <textarea aria-label={t('community.rules.placeholder')} placeholder={t('community.rules.placeholder')} maxLength={LIMITS.rules} rows={5} value={draft} onInput={(e) => setText(e.currentTarget.value)} />
          <label class="row">
            <input type="checkbox" checked={required} onChange={(e) => setRequire(e.currentTarget.checked)} />
            {t('community.rules.require')}
          </label>
          {rules && <p class="muted small">{t('community.rules.version', { version: rules.version })}</p>}
          <ErrorLine error={error} />
          <button type="submit" class="primary" disabled={busy || !draft.trim()}>
            {t('community.save')}
          </button>
        </form>
      )}
    </Section>
  );
}
