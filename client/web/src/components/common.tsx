/** Small shared pieces: the store hook, error lines, badges, avatars. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { errorText } from '../i18n/index.ts';
import type { ChatStore, WireError } from '../state/store.ts';
import { isQuanziError } from '../../../sdk/index.ts';

export const StoreContext = createContext<ChatStore | null>(null);

/** The store, re-rendering the calling component whenever it changes. */
export function useStore(): ChatStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside StoreContext');
  const [, setRevision] = useState(store.revision);
  useEffect(() => store.subscribe(() => setRevision(store.revision)), [store]);
  return store;
}

export function toWireError(error: unknown): WireError {
  if (isQuanziError(error)) return error.toJSON();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * A form's action: `busy` while it runs, and the error the server gave (null again when the next
 * try starts). `run` resolves to whether the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(toWireError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function ErrorLine({ error }: { error: WireError | null }) {
  if (!error) return null;
  return (
    <p class="error-line" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Badge({ count, mention = false, label }: { count: number; mention?: boolean; label?: string }) {
  if (count <= 0) return null;
  return (
    <span class={mention ? 'badge badge-mention' : 'badge'} aria-label={label}>
      {mention ? '@' : ''}
      {count >= 1000 ? '999+' : count}
    </span>
  );
}

const AVATAR_COLOURS = ['#e57373', '#f06292', '#ba68c8', '#7986cb', '#4fc3f7', '#4db6ac', '#81c784', '#ffb74d', '#a1887f', '#90a4ae'];

export function Avatar({ name, id, size = 36 }: { name: string; id: string; size?: number }) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const initial = Array.from(name.trim())[0] ?? '?';
  return (
    <span class="avatar" aria-hidden="true" style={{ width: `${size}px`, height: `${size}px`, background: AVATAR_COLOURS[hash % AVATAR_COLOURS.length] }}>
      {initial.toUpperCase()}
    </span>
  );
}

/** A collapsible section of the room panel; `onOpen` loads what it shows. */
export function Section({ title, open = false, onOpen, children }: { title: string; open?: boolean; onOpen?: () => void; children: ComponentChildren }) {
  return (
    <details class="panel-section" open={open} onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && onOpen?.()}>
      <summary>{title}</summary>
      <div class="panel-body">{children}</div>
    </details>
  );
}
