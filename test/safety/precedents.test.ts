/** Precedents (server/safety/precedents.ts): what counts as near-identical, and how a decision weighs. */
import { describe, expect, it } from 'vitest';
import { findPrecedent, shapeOf, weighPrecedent, type Precedent } from '../../server/safety/precedents.ts';
import type { Verdict } from '../../server/safety/types.ts';

const on = new Date('2026-12-01T10:00:00Z');
const precedent = (text: string, decision: Precedent['decision']): Precedent => ({ decision, decidedAt: on, shape: shapeOf(text)! });

describe('precedents', () => {
  it('match near-identical texts (digits, punctuation, a word slipped in) and nothing else', () => {
    const rejected = [precedent('想赚点零花钱的私聊我，不方便群里说 v123', 'rejected')];
    expect(findPrecedent(shapeOf('想赚点零花钱的私聊我呀，不方便群里说！！v456'), rejected)?.similarity).toBeGreaterThanOrEqual(0.8);
    expect(findPrecedent(shapeOf('今天下午的比赛谁去看，私聊我一起拼车'), rejected)).toBeNull();
    // Too short to say anything by its words.
    expect(shapeOf('收到 ok')).toBeNull();
    expect(findPrecedent(shapeOf('收到 ok'), rejected)).toBeNull();
  });

  it('hold like a rejected text, with how similar and when', () => {
    const allowed: Verdict = { action: 'allow', reasons: [] };
    const match = findPrecedent(shapeOf('想赚点零花钱的私聊我，不方便群里说'), [precedent('想赚点零花钱的私聊我，不方便群里说', 'removed')]);
    const verdict = weighPrecedent(allowed, match, 'standard');
    expect(verdict).toMatchObject({ action: 'hold', reasons: [{ code: 'PRECEDENT_REJECTED', detail: '100 % similar to a message removed after reports on 2026-12-01' }] });
    expect(weighPrecedent(allowed, match, 'off')).toBe(allowed);
  });

  it('let through like an approved text what the content rules held, never what pace or standing held', () => {
    const match = findPrecedent(shapeOf('出闲置相机镜头，九成新，价格私聊，同城优先'), [precedent('出闲置相机镜头，九成新，价格私聊，同城优先', 'approved')]);
    const scam: Verdict = { action: 'hold', reasons: [{ code: 'SCAM_ADULT', rule: 'scam', message: 'm', action: 'hold' }] };
    expect(weighPrecedent(scam, match, 'standard')).toMatchObject({ action: 'flag', reasons: expect.arrayContaining([expect.objectContaining({ code: 'PRECEDENT_APPROVED' })]) });
    const flood: Verdict = { action: 'hold', reasons: [{ code: 'FLOOD_REPEATED_TEXT', rule: 'flood', message: 'm', action: 'hold' }] };
    expect(weighPrecedent(flood, match, 'standard')).toBe(flood);
    const blocked: Verdict = { action: 'block', reasons: [{ code: 'LINK_USERINFO_TRICK', rule: 'links', message: 'm', action: 'block' }] };
    expect(weighPrecedent(blocked, match, 'standard')).toBe(blocked);
  });
});
