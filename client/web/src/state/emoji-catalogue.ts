/**
 * Loads the picker's catalogue (built by client/web/emoji-catalogue.ts) the first time the
 * picker opens: a chunk of its own, so that the page people open to chat does not wait on it.
 */
import type { CatalogueEntry } from './emoji.ts';

let loading: Promise<readonly CatalogueEntry[]> | null = null;

export function loadEmojiCatalogue(): Promise<readonly CatalogueEntry[]> {
  loading ??= import('virtual:emoji-catalogue').then(
    (module) => module.default,
    (error: unknown) => {
      // A failed fetch (offline) is tried again on the next opening.
      loading = null;
      throw error;
    },
  );
  return loading;
}
