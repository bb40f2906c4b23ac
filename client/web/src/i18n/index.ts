/**
 * The interface language: zh-CN or en, from the saved choice or navigator.language, switchable.
 * `t(key, { name })` fills `{name}` placeholders; values are plain text (rendered as text nodes).
 */
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Lang = 'en' | 'zh-CN';
export const LANGS: ReadonlyArray<{ id: Lang; label: string }> = [
  { id: 'zh-CN', label: '中文' },
  { id: 'en', label: 'English' },
];

const DICTIONARIES = { en, 'zh-CN': zhCN } as const;
const STORAGE_KEY = 'quanzi.lang';

export function initialLang(): Lang {
  const saved = safeStorage()?.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return (navigator.languages?.[0] ?? navigator.language ?? 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let current: Lang = 'en';

export function setLang(lang: Lang, remember = true): void {
  current = lang;
  document.documentElement.lang = lang;
  if (remember) safeStorage()?.setItem(STORAGE_KEY, lang);
}

export function getLang(): Lang {
  return current;
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = DICTIONARIES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** An audit log action in words ("muted"); the code itself for an action this client does not know. */
export function auditActionText(action: string): string {
  const key = `audit.${action}` as MessageKey;
  return key in en ? t(key) : action;
}

/** An interest tag as shown: the built-in ones in the interface language, the rooms' own as written. */
export function tagLabel(tag: string): string {
  const key = `tag.${tag}` as MessageKey;
  return key in en ? t(key) : tag;
}

/** A server error in the interface language; the server's own message when the code is unknown. */
export function errorText(error: { code: string; message: string }): string {
  const key = `error.${error.code}` as MessageKey;
  return key in en ? t(key) : error.message;
}

/** Why the safety rules stopped a message, in the interface language; the server's text for a code we do not know. */
export function reasonText(reason: { code: string; message: string }): string {
  const key = `reason.${reason.code}` as MessageKey;
  return key in en ? t(key) : reason.message;
}

/** "1 member", "3 members" (the dictionaries have no plural rules; one is the only special case). */
export function memberCount(count: number): string {
  return count === 1 ? t('rooms.members.one') : t('rooms.members', { count });
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(current, { hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(current, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export type { MessageKey };
