import { describe, expect, it } from 'vitest';
import { normalizeKeyword, normalizeText } from '../../server/safety/normalize.ts';

describe('normalizeText', () => {
  it('folds fullwidth letters and digits to halfwidth and lower case', () => {
    expect(normalizeText('ＶＸ：ＡＢＣ１２３').folded).toBe('vx:abc123');
  });

  it('removes zero-width and other invisible characters', () => {
    expect(normalizeText('加\u200b微\u200d信\ufeff').compact).toBe('加微信');
  });

  it('drops inserted symbols and spaces in the compact form', () => {
    expect(normalizeText('加 - 微 * 信 . 刷/单').compact).toBe('加微信刷单');
  });

  it('maps the traditional characters scams use to simplified ones', () => {
    expect(normalizeText('刷單 穩賺 帶單').compact).toBe('刷单稳赚带单');
  });

  it('folds Cyrillic and Greek look-alikes and diacritics to Latin', () => {
    expect(normalizeText('bіlіbіlі').folded).toBe('bilibili'); // Cyrillic і
    expect(normalizeText('ġithub рaypal').folded).toBe('github paypal');
  });

  it('turns long runs of Chinese numerals into digits but leaves idioms alone', () => {
    expect(normalizeText('扣扣 三九八七六五四三二').folded).toContain('398765432');
    expect(normalizeText('一五一十地说了').folded).toBe('一五一十地说了');
  });

  it('reads keycap emoji digits as digits and negative circled/squared letters as letters', () => {
    expect(normalizeText('加群 9️⃣8️⃣7️⃣6️⃣5️⃣').folded).toBe('加群 98765');
    expect(normalizeText('加🆅🆇 🅐🅑🅒').folded).toBe('加vx abc');
    expect(normalizeText('ⓥⓧ 🄰').folded).toBe('vx a'); // NFKC already handled these
  });

  it('normalizes owner keywords the same way', () => {
    expect(normalizeKeyword('刷 單')).toBe(normalizeText('刷单').compact);
  });
});
