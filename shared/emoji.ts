/**
 * What counts as a reaction: exactly one emoji (one grapheme cluster that is an emoji: a
 * pictograph with optional skin tone, a ZWJ sequence, a flag or a keycap). Not an allow-list:
 * people react with whatever their keyboard offers, and new emoji should work without a release.
 * Shared: the server validates reactions with it, and the web client's emoji catalogue is built
 * through it, so every emoji the picker offers is one the server stores as it is.
 */
const UNIT = String.raw`\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?\uFE0F?`;
const TAGS = String.raw`(?:[\u{E0020}-\u{E007E}]+\u{E007F})?`;
const EMOJI = new RegExp(
  String.raw`^(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|${UNIT}${TAGS}(?:\u200D${UNIT})*)$`,
  'u',
);
const SINGLE = /^(\p{Extended_Pictographic})\uFE0F?$/u;
const KEYCAP = /^([#*0-9])\uFE0F?\u20E3$/u;
const PRESENTS_AS_EMOJI = /^\p{Emoji_Presentation}$/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * One emoji in its canonical form, so that "❤" and "❤️" (with or without the emoji variation
 * selector) count as the same reaction; null when `raw` is not exactly one emoji.
 */
export function canonicalEmojiOf(raw: string): string | null {
  const emoji = raw.normalize('NFC');
  if (!EMOJI.test(emoji) || [...graphemes.segment(emoji)].length !== 1) return null;
  const single = SINGLE.exec(emoji);
  if (single) {
    const base = single[1]!;
    return PRESENTS_AS_EMOJI.test(base) ? base : `${base}\uFE0F`;
  }
  const keycap = KEYCAP.exec(emoji);
  if (keycap) return `${keycap[1]}\uFE0F\u20E3`;
  return emoji;
}
