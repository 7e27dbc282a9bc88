// Masked destinations in responses and logs, for every country libphonenumber knows (as an
// operator with ALLOWED_COUNTRIES=* would send to): never the full number, and never so
// little hidden that the rest is a handful of guesses.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { createEmulator, type Emulator } from '../../emulator';
import { EXAMPLE_MOBILES } from './arbitraries';
import { buildEvent, callHandler, digitsOf, inProcessContext, LogTap, type AnyHandler } from './support';

/** At least this many digits hidden: 1,000 candidates or more. */
const MIN_HIDDEN_DIGITS = 3;

interface Shown {
  number: string;
  country: string;
  response: string;
  startLog: string;
  checkLog: string;
}

describe('masking of phone numbers, every country (ALLOWED_COUNTRIES=*)', () => {
  let emulator: Emulator;
  const tap = new LogTap();
  const shown: Shown[] = [];

  beforeAll(async () => {
    emulator = createEmulator();
    const context = inProcessContext(emulator, { ALLOWED_COUNTRIES: '*' });
    const json = { 'content-type': 'application/json' };
    tap.install();
    try {
      for (const number of EXAMPLE_MOBILES) {
        const sent = await callHandler(startHandler as AnyHandler, context, buildEvent({ to: number }, json), tap);
        if (sent.status !== 200)
          throw new Error(`${number}: start answered ${sent.status} ${JSON.stringify(sent.body)}`);
        const code = emulator.messages({ to: number }).at(-1)?.code;
        const checked = await callHandler(
          checkHandler as AnyHandler,
          context,
          buildEvent({ code, verification: (sent.body as { verification: string }).verification }, json),
          tap,
        );
        if (checked.status !== 200) throw new Error(`${number}: check answered ${checked.status}`);
        const logTo = (lines: string[]) => String((JSON.parse(lines[0]) as { to?: string }).to);
        shown.push({
          number,
          country: parsePhoneNumberFromString(number)?.country ?? '?',
          response: String((sent.body as { to: string }).to),
          startLog: logTo(sent.logs),
          checkLog: logTo(checked.logs),
        });
      }
    } finally {
      tap.restore();
    }
  });

  it('covers every country with an example mobile number', () => {
    expect(shown.length).toBe(EXAMPLE_MOBILES.length);
    expect(new Set(shown.map((s) => s.country)).size).toBeGreaterThan(200);
  });

  it('never shows the full number, in the response or either log line', () => {
    const full = shown.filter((s) =>
      [s.response, s.startLog, s.checkLog].some((m) => digitsOf(m) === digitsOf(s.number)),
    );
    expect(full.map((s) => `${s.country} ${s.number} → ${s.response}`)).toEqual([]);
  });

  it(`hides at least ${MIN_HIDDEN_DIGITS} digits of the national number`, () => {
    const weak = shown.filter((s) =>
      [s.response, s.startLog, s.checkLog].some((m) => (m.match(/\*/g) ?? []).length < MIN_HIDDEN_DIGITS),
    );
    expect(weak.map((s) => `${s.country} ${s.number} → ${s.response}`)).toEqual([]);
  });

  it('keeps the calling code and ends with at most the last 4 digits, as documented (+1******2671)', () => {
    const offenders = shown.filter((s) => {
      const cc = parsePhoneNumberFromString(s.number)?.countryCallingCode ?? '?';
      const match = new RegExp(`^\\+${cc}\\*+(\\d{0,4})$`).exec(s.response);
      return !match || !s.number.endsWith(match[1]) || s.startLog !== s.response;
    });
    expect(offenders.map((s) => `${s.country} ${s.number} → ${s.response}`)).toEqual([]);
  });
});
