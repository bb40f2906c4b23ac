/** A reaction's emoji as the server stores it (shared/emoji.ts), or INVALID_EMOJI. */
import { canonicalEmojiOf } from '../../shared/emoji.ts';
import { AppError } from '../errors.ts';

export function canonicalEmoji(raw: string): string {
  const emoji = canonicalEmojiOf(raw);
  if (emoji === null) throw new AppError('INVALID_EMOJI', 'A reaction must be exactly one emoji, such as 👍 or ❤️');
  return emoji;
}
