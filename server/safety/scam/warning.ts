// A message that warns about, reports or quotes a scam ("beware, someone is posting paypa1.com",
// "新闻：警方提醒…刷单是诈骗") uses the scam's own words and domains; communities value these, so
// the scam and links rules soften what they find in one.

import type { NormalizedText } from '../normalize.ts';
import { FALSE_REASSURANCE, WARNING_CJK, WARNING_EN } from './vocabulary.ts';

export function isWarning(text: NormalizedText): boolean {
  const warns = WARNING_CJK.test(text.compact) || WARNING_EN.test(text.folded);
  return warns && !FALSE_REASSURANCE.test(text.folded) && !FALSE_REASSURANCE.test(text.compact);
}
