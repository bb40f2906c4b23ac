import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, actionAtStrictness, resolvePolicy, strictnessOf } from '../../server/safety/policy.ts';

describe('resolvePolicy', () => {
  it('fills every default from nothing', () => {
    expect(resolvePolicy(undefined)).toEqual({ ...DEFAULT_POLICY, rules: {}, keywords: { block: [], hold: [], flag: [] } });
    expect(resolvePolicy('garbage').exemptRoles).toEqual(['owner', 'admin']);
  });

  it('keeps valid fields and drops malformed ones field by field', () => {
    const policy = resolvePolicy({
      rules: { links: 'strict', scam: 'nonsense', unknownRule: 'off' },
      keywords: { block: ['a', 3, ''], hold: 'x' },
      allowedDomains: ['https://Example.COM/path', '*.corp.cn'],
      exemptRoles: ['owner', 'bot', 'emperor'],
      probationSeconds: -5,
      privacyAction: 'flag',
      autoMute: { offences: 5 },
    });
    expect(policy.rules).toEqual({ links: 'strict' });
    expect(policy.keywords).toEqual({ block: ['a'], hold: [], flag: [] });
    expect(policy.allowedDomains).toEqual(['example.com', 'corp.cn']);
    expect(policy.exemptRoles).toEqual(['owner', 'bot']);
    expect(policy.probationSeconds).toBe(600);
    expect(policy.privacyAction).toBe('flag');
    expect(policy.autoMute).toEqual({ offences: 5, windowSeconds: 600, muteSeconds: 1800 });
  });

  it('reads the attachment knobs field by field: risky files refused for newcomers and held for the rest by default', () => {
    expect(resolvePolicy({}).attachments).toEqual({ riskyFiles: { newcomers: 'block', established: 'hold' }, repeatRooms: 3, repeatWindowSeconds: 3600 });
    const policy = resolvePolicy({ rules: { qr: 'strict', files: 'off', repeats: 'bogus' }, attachments: { riskyFiles: { newcomers: 'hold', established: 'shrug' }, repeatRooms: 0, repeatWindowSeconds: 'soon' } });
    expect(policy.rules).toEqual({ qr: 'strict', files: 'off' });
    expect(policy.attachments).toEqual({ riskyFiles: { newcomers: 'hold', established: 'hold' }, repeatRooms: 0, repeatWindowSeconds: 3600 });
  });
});

describe('strictness presets', () => {
  it('fill what the room did not set from the preset, and what the room set wins', () => {
    const strict = resolvePolicy({ strictness: 'strict', probationSeconds: 60, rules: { links: 'lenient' } });
    expect(strict).toMatchObject({
      strictness: 'strict',
      probationSeconds: 60,
      privacyAction: 'hold',
      autoMute: { offences: 2, windowSeconds: 3600, muteSeconds: 86400 },
      attachments: { riskyFiles: { newcomers: 'block', established: 'block' } },
      mentionAllPerDay: 3,
      raid: { joins: 20, windowSeconds: 60 },
    });
    expect(strictnessOf(strict, 'scam')).toBe('strict');
    expect(strictnessOf(strict, 'links')).toBe('lenient');

    const relaxed = resolvePolicy({ strictness: 'relaxed', autoMute: { offences: 0 } });
    expect(relaxed).toMatchObject({ strictness: 'relaxed', probationSeconds: 0, privacyAction: 'flag', mentionAllPerDay: 20, raid: { joins: 0 } });
    expect(relaxed.autoMute).toEqual({ offences: 0, windowSeconds: 600, muteSeconds: 600 });
    expect(strictnessOf(relaxed, 'model')).toBe('lenient');
  });

  it('read an unknown preset as standard, the one every room starts with', () => {
    expect(resolvePolicy({ strictness: 'paranoid' })).toEqual(resolvePolicy({}));
    expect(resolvePolicy({}).strictness).toBe('standard');
    expect(strictnessOf(resolvePolicy({}), 'links')).toBe('standard');
  });
});

describe('actionAtStrictness', () => {
  it('moves one step softer or stricter, except fixed findings', () => {
    expect(actionAtStrictness('hold', 'lenient')).toBe('flag');
    expect(actionAtStrictness('flag', 'lenient')).toBe('allow');
    expect(actionAtStrictness('flag', 'strict')).toBe('hold');
    expect(actionAtStrictness('block', 'strict')).toBe('block');
    expect(actionAtStrictness('block', 'lenient', true)).toBe('block');
    expect(actionAtStrictness('block', 'off', true)).toBe('allow');
  });
});
