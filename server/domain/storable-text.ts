/**
 * What text may be stored. PostgreSQL text and jsonb cannot hold a NUL character, and an unpaired
 * surrogate half is not Unicode at all. Text a person sends is refused at the door if it holds
 * either (transport/validation.ts); text the server composes from elsewhere — a bot's webhook
 * reply, Slack blocks flattened by an incoming webhook — is mended and clipped instead, because
 * there is nobody to answer with an error.
 */

/** With the `u` flag the range matches only unpaired halves, never a valid pair. */
export const UNSTORABLE_CHARACTER = /[\u0000\uD800-\uDFFF]/u;
const UNSTORABLE_CHARACTERS = /[\u0000\uD800-\uDFFF]/gu;

/**
 * `text` with NULs dropped and unpaired surrogates replaced by U+FFFD, clipped to `max` UTF-16
 * units (the unit every length limit here counts) with an ellipsis, never between the halves
 * of a pair.
 */
export function storableText(text: string, max: number): string {
  const mended = text.replace(UNSTORABLE_CHARACTERS, (c) => (c === '\u0000' ? '' : '\uFFFD'));
  if (mended.length <= max) return mended;
  let cut = max - 1;
  const last = mended.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${mended.slice(0, cut)}…`;
}
