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

  it('names the field a validation error points at', () => {
    expect(invalidFieldOf({ code: 'VALIDATION_FAILED', message: '', details: { field: 'body.deniedDomains.1' } })).toBe('deniedDomains');
    expect(invalidFieldOf({ code: 'FORBIDDEN', message: '' })).toBeNull();
  });
});
