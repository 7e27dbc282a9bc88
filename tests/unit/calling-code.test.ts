import { getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { callingCodeOf } from '../../src/domain/calling-code';
import { maskPhoneNumber } from '../../src/domain/mask';
import { resolveDestination } from '../../src/domain/destination';

describe('callingCodeOf', () => {
  it.each(getCountries())('finds %s\'s calling code in its example number', (country) => {
    const example = getExampleNumber(country, examples);
    if (!example) return;
    expect(callingCodeOf(example.number)).toBe(getCountryCallingCode(country));
  });

  it('masks a known number exactly as a parsed one is masked', () => {
    for (const to of ['+14155552671', '+447911123456', '+998901234567', '+33612345678', '+3545551234']) {
      const parsed = resolveDestination(to, 'call', undefined, { allowedCountries: '*' } as never);
      expect(maskPhoneNumber(to, callingCodeOf(to))).toBe(parsed.masked);
    }
  });
});
