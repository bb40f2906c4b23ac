// Counting mentions: the server passes resolved mentions, but a client may also type "@name"
// without resolving it, so the text is counted too and the larger number wins.

import type { NormalizedText } from './normalize.ts';
import type { SafetyMessage } from './types.ts';

// "@" at the start or after whitespace/CJK, not inside "name@example.com".
const TYPED_MENTION = /(?<![a-z0-9._%+-])@[^\s@,，。:：]{1,32}/gu;

export function countMentions(message: SafetyMessage, text: NormalizedText): number {
  const resolved = new Set(message.mentions ?? []).size;
  const typed = text.folded.includes('@') ? (text.folded.match(TYPED_MENTION)?.length ?? 0) : 0;
  return Math.max(resolved, typed);
}

/**
 * Mentions that reach out to someone: resolved ones outside `conversational`, plus any typed
 * "@name" that resolved to no member (which cannot be told apart, so it counts).
 */
export function countOutreachMentions(message: SafetyMessage, text: NormalizedText): number {
  const resolved = new Set(message.mentions ?? []);
  const conversational = new Set(message.conversational ?? []);
  const typed = text.folded.includes('@') ? (text.folded.match(TYPED_MENTION)?.length ?? 0) : 0;
  const outreach = [...resolved].filter((id) => !conversational.has(id)).length;
  return outreach + Math.max(0, typed - resolved.size);
}
