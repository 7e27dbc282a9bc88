import { getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { callingCodeOf } from '../../src/domain/calling-code';
import { maskDestination, maskPhoneNumber } from '../../src/domain/mask';
import { resolveDestination } from '../../src/domain/destination';

describe('callingCodeOf', () => {
  it.each(getCountries())("finds %s's calling code in its numbers", (country) => {
    const code = getCountryCallingCode(country);
    // Its example number where libphonenumber has one, and any number behind the code.
    const example = getExampleNumber(country, examples)?.number ?? `+${code}2345678`;
    expect(callingCodeOf(example)).toBe(code);
    expect(callingCodeOf(`+${code}0000000`)).toBe(code);
  });

  it('masks a known number exactly as a parsed one is masked', () => {
    for (const to of ['+14155552671', '+447911123456', '+998901234567', '+33612345678', '+3545551234']) {
      const parsed = resolveDestination(to, 'call', undefined, { allowedCountries: '*' } as never);
      expect(maskPhoneNumber(to, callingCodeOf(to))).toBe(parsed.masked);
    }
  });

  it('masks a destination from a proof token or a handle as resolveDestination does', () => {
    for (const to of ['+14155552671', '+447911123456', '+998901234567', '+3545551234']) {
      expect(maskDestination(to)).toBe(resolveDestination(to, 'sms').masked);
    }
    for (const to of ['jane.doe@example.com', 'J@Example.COM']) {
      expect(maskDestination(to)).toBe(resolveDestination(to, 'email').masked);
    }
  });
});
