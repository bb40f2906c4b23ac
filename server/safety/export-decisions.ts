// `npm run safety:export-decisions [-- --out FILE]`: the review decisions of every room (table
// safety_decisions) as labelled training lines, in the format of test/safety/dataset/labelled/
// (`{text, label, kind, lang}`), so that `npm run safety:train` can learn from what moderators
// decided. Approved and dismissed-report texts are `allow`; rejected and removed ones `block`.
// Only the words leave the database: no room, sender or moderator ids, and every @mention reads
// `@user`. They are still members' messages — keep the file where the room's own data may be kept.

import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config.ts';
import { openDatabase, type Executor } from '../store/db.ts';
import { allSafetyDecisions, type SafetyDecision } from '../store/safety-decisions.ts';

export interface DecisionLine {
  text: string;
  label: 'allow' | 'block';
  kind: 'moderator-decision';
  lang: 'zh' | 'en' | 'mixed';
  source: SafetyDecision['source'];
  decidedAt: string;
}

const HAN = /\p{Script=Han}/u;
// As server/domain/mentions.ts reads a mention: who was named is no part of what was said.
const MENTION = /(?<![A-Za-z0-9_.%+-])@(所有人|[A-Za-z0-9_]{3,32})(?![A-Za-z0-9_])/gu;
const LATIN_WORD = /[A-Za-z]{3,}/;

/** As the labelled files say it: Chinese, English, or both in one message. */
function languageOf(text: string): DecisionLine['lang'] {
  const han = HAN.test(text);
  const latin = LATIN_WORD.test(text);
  return han && latin ? 'mixed' : han ? 'zh' : 'en';
}

/** One line per decision, oldest first; the same text decided twice keeps its newest label. */
export async function decisionLines(db: Executor): Promise<DecisionLine[]> {
  const newest = new Map<string, DecisionLine>();
  for (const d of await allSafetyDecisions(db)) {
    const text = d.text.replace(MENTION, (whole, name: string) => (name === '所有人' || name.toLowerCase() === 'all' ? whole : '@user')).trim();
    if (text === '') continue;
    newest.delete(text);
    newest.set(text, { text, label: d.decision === 'approved' ? 'allow' : 'block', kind: 'moderator-decision', lang: languageOf(text.replaceAll('@user', '')), source: d.source, decidedAt: d.decidedAt.toISOString() });
  }
  return [...newest.values()];
}

async function main(): Promise<void> {
  const outAt = process.argv.indexOf('--out');
  const out = outAt > 0 ? createWriteStream(process.argv[outAt + 1]!) : process.stdout;
  const handle = await openDatabase(loadConfig());
  try {
    const lines = await decisionLines(handle.db);
    for (const line of lines) out.write(`${JSON.stringify(line)}\n`);
    console.error(`${lines.length} decided texts exported`);
  } finally {
    await handle.close();
    if (out !== process.stdout) out.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
