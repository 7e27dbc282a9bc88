import { DEFAULT_TIMEOUT_MS, readConfig } from '../../src/config';
import { AppError } from '../../src/domain/app-error';

const SID = `VA${'ab'.repeat(16)}`;

function misconfigured(env: Record<string, unknown>): string {
  try {
    readConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('server_misconfigured');
    return (error as AppError).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('readConfig: VERIFY_TIMEOUT_MS', () => {
  it.each([
    [undefined, DEFAULT_TIMEOUT_MS],
    ['', DEFAULT_TIMEOUT_MS],
    ['   ', DEFAULT_TIMEOUT_MS],
    ['500', 500],
    [' 1500 ', 1500],
    ['9000', 9000],
  ])('%j → %d ms', (value, expected) => {
    expect(readConfig({ VERIFY_SERVICE_SID: SID, VERIFY_TIMEOUT_MS: value }).timeoutMs).toBe(expected);
  });

  it.each(['499', '9001', '12000', 'abc', '5e3', '1500.5', '-800', '0x1f4'])(
    'refuses %j, naming the setting',
    (value) => {
      expect(misconfigured({ VERIFY_TIMEOUT_MS: value })).toBe('VERIFY_TIMEOUT_MS has an invalid value.');
    },
  );

  it('refuses a setting that is not a string, naming it', () => {
    expect(misconfigured({ ALLOWED_ORIGINS: ['https://a.example'] })).toBe('ALLOWED_ORIGINS has an invalid value.');
  });
});

describe('readConfig: other settings', () => {
  it('trims the service SID and reads the defaults', () => {
    const config = readConfig({ VERIFY_SERVICE_SID: ` ${SID} ` });
    expect(config).toMatchObject({
      serviceSid: SID,
      allowedCountries: ['US'],
      channelFallback: ['sms', 'call', 'email'],
      resendCooldowns: [30, 40, 60, 90, 120],
      rateLimits: true,
      checkByTo: false,
      whatsappSmsFallback: true,
    });
  });

  it.each([
    ['false', false],
    ['off', false],
    [' 0 ', false],
    ['true', true],
    ['', true],
  ])('VERIFY_RATE_LIMITS=%j → metering %s (on unless turned off)', (value, on) => {
    expect(readConfig({ VERIFY_RATE_LIMITS: value }).rateLimits).toBe(on);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['', false],
    ['false', false],
    [' YES ', true],
  ])('CHECK_BY_TO=%j → %s (off unless turned on)', (value, on) => {
    expect(readConfig({ CHECK_BY_TO: value }).checkByTo).toBe(on);
  });

  it.each([
    ['false', false],
    ['no', false],
    ['', true],
    ['on', true],
  ])('WHATSAPP_SMS_FALLBACK=%j → %s (on unless turned off)', (value, on) => {
    expect(readConfig({ WHATSAPP_SMS_FALLBACK: value }).whatsappSmsFallback).toBe(on);
  });

  it.each(['VERIFY_RATE_LIMITS', 'CHECK_BY_TO', 'WHATSAPP_SMS_FALLBACK'])(
    '%s: a word that is neither on nor off is refused, naming it (never guessed)',
    (name) => {
      expect(() => readConfig({ [name]: 'yes please' })).toThrow(
        expect.objectContaining({
          code: 'server_misconfigured',
          message: `${name} must be true or false (also on/off, yes/no, 1/0).`,
        }),
      );
    },
  );

  it.each([
    ['ALLOWED_COUNTRIES', 'USA'],
    ['CHANNEL_FALLBACK', 'sms,pigeon'],
    ['RESEND_COOLDOWNS', '30,forever'],
  ])('refuses a malformed %s', (name, value) => {
    expect(misconfigured({ [name]: value })).toMatch(name);
  });
});

describe('readConfig: validated once per distinct environment', () => {
  it('answers the same config for the same values, and a fresh one when a value changes', () => {
    const first = readConfig({ VERIFY_SERVICE_SID: SID, ALLOWED_COUNTRIES: 'US,CA' });
    expect(readConfig({ VERIFY_SERVICE_SID: SID, ALLOWED_COUNTRIES: 'US,CA' })).toBe(first);
    const changed = readConfig({ VERIFY_SERVICE_SID: SID, ALLOWED_COUNTRIES: 'GB' });
    expect(changed.allowedCountries).toEqual(['GB']);
    // Blank and missing mean the same, but a change between them is still noticed.
    expect(readConfig({ VERIFY_SERVICE_SID: SID, ALLOWED_COUNTRIES: '' }).allowedCountries).toEqual(['US']);
  });

  it('does not keep an invalid environment: fixing it takes effect at once', () => {
    misconfigured({ VERIFY_SERVICE_SID: SID, VERIFY_TIMEOUT_MS: 'soon' });
    expect(readConfig({ VERIFY_SERVICE_SID: SID, VERIFY_TIMEOUT_MS: '2000' }).timeoutMs).toBe(2000);
    misconfigured({ VERIFY_SERVICE_SID: SID, VERIFY_TIMEOUT_MS: 'soon' });
  });
});

describe('readConfig: ALLOWED_ORIGINS', () => {
  it('takes exact origins', () => {
    expect(readConfig({ ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173' }).allowedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it.each([
    '*',
    'https://app.example, *',
    'https://*.example.com',
    'https://app.example.com/',
    'app.example.com',
    'null',
  ])('refuses %j, naming the setting', (value) => {
    expect(misconfigured({ ALLOWED_ORIGINS: value })).toMatch(/^ALLOWED_ORIGINS must list exact origins/);
  });
});
