/**
 * How message text becomes search terms (migration 0011 says why, and has the same definition in
 * SQL, message_search_document, for rows stored before it; test/store/search-terms.test.ts holds
 * the two to the same answers). Characters are classed by explicit ranges, never by the database's
 * locale:
 * - a run of CJK characters (Han, kana, Hangul) gives its overlapping bigrams and its last
 *   character, so any substring of it is found: 胶片摄影 gives 胶片 片摄 摄影 影;
 * - any other run between separators is a word, lowercased, cut at 64 characters, found by its
 *   beginning: Film gives film, which film and fil find.
 * Searching for a substring of two or more CJK characters asks for all its bigrams; one character
 * or a word asks for a term beginning with it. The text is checked afterwards, so a phrase matches
 * only where its characters stand together.
 */

const CJK = '\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}';
/** Whitespace, ASCII punctuation and symbols, Latin-1 punctuation, general and CJK punctuation, full-width punctuation. */
const SEPARATORS = '\\s\\u0021-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u007e\\u00a0-\\u00bf\\u2000-\\u206f\\u3000-\\u303f\\uff00-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65';
const RUNS = new RegExp(`([${CJK}]+)|([^${CJK}${SEPARATORS}]+)`, 'gu');
const SEPARATOR_RUN = new RegExp(`[${SEPARATORS}]+`, 'u');
const MAX_WORD = 64;
/** Needles checked in the text; more words than this narrow nothing a person would notice. */
const MAX_NEEDLES = 8;

type Run = { cjk: string[] } | { word: string };

function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  for (const match of text.toLowerCase().matchAll(RUNS)) {
    runs.push(match[1] ? { cjk: [...match[1]] } : { word: [...match[2]!].slice(0, MAX_WORD).join('') });
  }
  return runs;
}

/** The distinct terms of a text, as the index holds them. */
export function searchTermsOf(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runsOf(text)) {
    if ('word' in run) {
      terms.add(run.word);
      continue;
    }
    for (let i = 0; i + 1 < run.cjk.length; i += 1) terms.add(run.cjk[i]! + run.cjk[i + 1]!);
    terms.add(run.cjk.at(-1)!);
  }
  return [...terms];
}

/** A tsvector literal of the text's terms (lexemes quoted, without positions), or null when it has none. */
export function searchDocumentOf(text: string): string | null {
  const terms = searchTermsOf(text);
  return terms.length === 0 ? null : terms.map(quoted).join(' ');
}

export interface SearchQuery {
  /** A tsquery literal: every term required. */
  query: string;
  /** The words as typed (lowercased), each to be found in the text itself. */
  needles: string[];
}

/** The query for `q`, or null when it holds nothing but separators. */
export function searchQueryOf(q: string): SearchQuery | null {
  const needles = [...new Set(q.toLowerCase().split(SEPARATOR_RUN).filter((n) => n !== ''))].slice(0, MAX_NEEDLES);
  const terms = new Set<string>();
  for (const run of runsOf(needles.join(' '))) {
    if ('word' in run) terms.add(`${quoted(run.word)}:*`);
    else if (run.cjk.length === 1) terms.add(`${quoted(run.cjk[0]!)}:*`);
    else for (let i = 0; i + 1 < run.cjk.length; i += 1) terms.add(quoted(run.cjk[i]! + run.cjk[i + 1]!));
  }
  return terms.size === 0 ? null : { query: [...terms].join(' & '), needles };
}

/** Separators never reach a term, so there is no quote or backslash to escape; escaped anyway, as the grammar asks. */
function quoted(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
