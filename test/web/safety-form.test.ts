/** The room safety editor's form model (client/web/src/components/room-panel/safety-form.ts): what a PUT keeps and what goes back to its default. */
import { describe, expect, it } from 'vitest';
import { invalidFieldOf, toSafetyForm, toSafetyPolicy } from '../../client/web/src/components/room-panel/safety-form.ts';
import type { SafetyPolicy } from '../../shared/schemas.ts';

describe('safety policy form', () => {
  it('round-trips a stored policy, keeping settings the editor does not show', () => {
    const stored = { rules: { links: 'strict' }, keywords: { block: ['spam', 'scam'] }, allowedDomains: ['example.com'], probationSeconds: 600, autoMute: { blocks: 3 } } as unknown as SafetyPolicy;
    const form = toSafetyForm(stored);
    expect(form.keywords.block).toBe('spam\nscam');
    expect(form.probationSeconds).toBe('600');
    expect(toSafetyPolicy(form, stored)).toEqual(stored);
  });

  it('leaves out an emptied field so it gets its default back, and splits pasted domain lists', () => {
    const stored = { rules: { links: 'strict' }, keywords: { hold: ['x'] }, probationSeconds: 60 } as unknown as SafetyPolicy;
    const form = toSafetyForm(stored);
    const edited = { ...form, rules: { links: undefined }, keywords: { ...form.keywords, hold: '  \n' }, probationSeconds: '', deniedDomains: 'a.com, b.com；a.com\nc.com' };
    expect(toSafetyPolicy(edited, stored)).toEqual({ deniedDomains: ['a.com', 'b.com', 'c.com'] });
  });

  it('writes a preset and the three counts, filling the timings the editor does not show from what was stored or the preset', () => {
    const stored = { raid: { joins: 20, windowSeconds: 120, shieldSeconds: 600, slowModeSeconds: 10 } } as SafetyPolicy;
    const form = toSafetyForm(stored);
    expect(form).toMatchObject({ strictness: undefined, raidJoins: '20', autoMuteOffences: '', mentionAllPerDay: '' });
    const edited = { ...form, strictness: 'strict' as const, autoMuteOffences: '4', mentionAllPerDay: '0', raidJoins: '30' };
    expect(toSafetyPolicy(edited, stored)).toEqual({
      strictness: 'strict',
      autoMute: { offences: 4, windowSeconds: 3600, muteSeconds: 86400 },
      mentionAllPerDay: 0,
      raid: { joins: 30, windowSeconds: 120, shieldSeconds: 600, slowModeSeconds: 10 },
    });
    expect(toSafetyPolicy({ ...edited, strictness: undefined, autoMuteOffences: '', mentionAllPerDay: '', raidJoins: '' }, stored)).toEqual({});
  });

  it('names the field a validation error points at', () => {
    expect(invalidFieldOf({ code: 'VALIDATION_FAILED', message: '', details: { field: 'body.deniedDomains.1' } })).toBe('deniedDomains');
    expect(invalidFieldOf({ code: 'FORBIDDEN', message: '' })).toBeNull();
  });
});
