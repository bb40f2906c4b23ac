/**
 * The stricter rules for a message request, a stranger's first words: text only, no links, no
 * contact details (phone numbers, e-mail, "add me on WeChat"), every content rule at its
 * strictest, and anything the rules would so much as flag is refused. An accepted request then
 * becomes the first message of the conversation, and the room's ordinary rules apply after it.
 */
import { AppError } from '../errors.ts';
import { findLinks } from '../safety/links/find-links.ts';
import { resolvePolicy } from '../safety/policy.ts';
import type { DomainDeps } from './deps.ts';

const REQUEST_POLICY = resolvePolicy({
  rules: { links: 'strict', scam: 'strict', privacy: 'strict', keywords: 'strict' },
  privacyAction: 'hold',
  exemptRoles: [],
});

const LINK_REASON = { code: 'REQUEST_LINK', message: 'A message request cannot carry links; send it once they accept.' };

export function ensureRequestTextPasses(deps: DomainDeps, senderId: string, text: string): void {
  const reasons: Array<{ code: string; message: string }> = [];
  if (findLinks(text).length > 0) reasons.push(LINK_REASON);
  const verdict = deps.safety.inspect(text, { roomId: '', sender: { id: senderId, role: 'member' }, policy: REQUEST_POLICY, now: Date.now() }, { skip: ['probation', 'rate', 'flood'] });
  if (verdict.action !== 'allow') reasons.push(...verdict.reasons.map((r) => ({ code: r.code, message: r.message })));
  if (reasons.length === 0) return;
  throw new AppError('BLOCKED_BY_SAFETY', `Not allowed in a message request: ${reasons.map((r) => r.message).join(' ')}`, { field: 'body.text', reasons });
}
