/** What every panel section shares: how an action runs, and a list loaded when a section opens. */
import { useState } from 'preact/hooks';
import type { WireError } from '../../state/store.ts';
import { toWireError } from '../common.tsx';

export type Run = (work: () => Promise<unknown>) => Promise<void>;

/** Loads a list when the section opens, and again after each action in it. */
export function useLoader<T>(load: () => Promise<T>): [T | null, () => void, WireError | null] {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const reload = () => {
    load().then(
      (v) => (setValue(v), setError(null)),
      (e: unknown) => setError(toWireError(e)),
    );
  };
  return [value, reload, error];
}
