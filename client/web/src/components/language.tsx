/** 中文 / English switch; the choice is remembered. */
import { useContext } from 'preact/hooks';
import { createContext } from 'preact';
import { LANGS, getLang, t, type Lang } from '../i18n/index.ts';

export const LangContext = createContext<(lang: Lang) => void>(() => {});

export function LanguageSwitch() {
  const change = useContext(LangContext);
  return (
    <label class="lang-switch">
      <span class="visually-hidden">{t('lang.label')}</span>
      <select value={getLang()} onChange={(e) => change(e.currentTarget.value as Lang)} aria-label={t('lang.label')}>
        {LANGS.map((l) => (
          <option value={l.id} key={l.id}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
