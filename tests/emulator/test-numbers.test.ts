import { parseTestNumbers } from '../../emulator';

describe('parseTestNumbers', () => {
  test('reads comma-separated destination:code pairs, phones and emails, with spaces', () => {
    expect(parseTestNumbers('+15005550006:123456, +4915112345678:654321 ,demo@example.com:A1B2C3')).toEqual({
      '+15005550006': '123456',
      '+4915112345678': '654321',
      'demo@example.com': 'A1B2C3',
    });
  });

  test('nothing configured is an empty map', () => {
    expect(parseTestNumbers(undefined)).toEqual({});
    expect(parseTestNumbers('')).toEqual({});
    expect(parseTestNumbers(' , ')).toEqual({});
  });

  test.each([
    '15005550006:123456',
    '+15005550006',
    '+15005550006:12',
    '+15005550006:12345678901',
    ':123456',
    'not-an-email:123456',
  ])('refuses %p', (spec) => {
    expect(() => parseTestNumbers(spec)).toThrow(/Invalid test number entry/);
  });
});
