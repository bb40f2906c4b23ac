import { describe, expect, it } from 'vitest';
import { isValidResidentId, passesLuhn } from '../../../server/safety/privacy/checksums.ts';
import { check, codes } from '../harness.ts';

describe('checksums', () => {
  it('validates resident IDs by their mod-11 check character', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('110105194913310027')).toBe(false); // month 13
  });

  it('validates card numbers by Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('privacy rule', () => {
  it.each([
    ['我手机号 13812345678', 'PRIVACY_PHONE'],
    ['电话 139-1234-5678', 'PRIVACY_PHONE'],
    ['+86 186 0000 1234', 'PRIVACY_PHONE'],
    ['手机 １３９１２３４５６７８', 'PRIVACY_PHONE'],
    ['电话：一三八一二三四五六七八', 'PRIVACY_PHONE'],
    ['身份证 11010519491231002X', 'PRIVACY_RESIDENT_ID'],
    ['卡号 6222 0212 3456 7890 128', 'PRIVACY_BANK_CARD'],
    ['Transfer to 4111 1111 1111 1111', 'PRIVACY_BANK_CARD'],
    ['收款账号 6228480402564890018', 'PRIVACY_BANK_CARD'],
  ])('%s → %s, held by default', (text, code) => {
    const verdict = check(text);
    expect(codes(verdict)).toContain(code);
    expect(verdict.action).toBe('hold');
    expect(verdict.reasons[0].message).toMatch(/./);
  });

  it('flags an e-mail address (a business or the sender\'s own, most often) and holds it only in strict rooms', () => {
    expect(codes(check('mail me at john.smith@gmail.com'))).toEqual(['PRIVACY_EMAIL']);
    expect(check('mail me at john.smith@gmail.com').action).toBe('flag');
    expect(check('We are hiring, CV to jobs@lanternstudio.com').action).toBe('flag');
    expect(check('mail me at john.smith@gmail.com', { policy: { rules: { privacy: 'strict' } } }).action).toBe('hold');
  });

  it('flags instead of holding when the room says so', () => {
    expect(check('我手机号 13812345678', { policy: { privacyAction: 'flag' } }).action).toBe('flag');
  });

  it.each([
    'iPhone 15 Pro 售价 7999 元',
    'ISBN 978-7-5442-9116-5',
    '我的订单号是 202403151234567890',
    '订单号：6222021234567890128',
    '时间戳 1710489600000',
    '这串数字 1234567890123456789 是测试数据',
    '110105194912310021 这个号校验位不对',
    'BV1xx411c7mD',
    '人口大约 1411750000 人',
  ])('ignores the non-personal number in %s', (text) => {
    expect(check(text).action).toBe('allow');
  });
});
