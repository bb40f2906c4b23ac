/**
 * Every code the server can answer is one the web client can say in both of its languages, so a
 * Chinese-speaking member never meets a refusal in the server's English.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../client/web/src/i18n/en.ts';
import { zhCN } from '../client/web/src/i18n/zh-CN.ts';
import { ERRORS } from '../server/errors.ts';
import { REASONS } from '../server/safety/reasons.ts';

describe('error catalogue', () => {
  it('has a text in English and in Chinese for every code', () => {
    const codes = Object.keys(ERRORS);
    const missing = (dictionary: Record<string, string>) => codes.filter((code) => !dictionary[`error.${code}`]?.trim());
    expect(missing(en)).toEqual([]);
    expect(missing(zhCN)).toEqual([]);
  });

  it('has a text in English and in Chinese for every safety reason a sender can be shown', () => {
    const codes = Object.keys(REASONS);
    const missing = (dictionary: Record<string, string>) => codes.filter((code) => !dictionary[`reason.${code}`]?.trim());
    expect(missing(en)).toEqual([]);
    expect(missing(zhCN)).toEqual([]);
  });
});
