// Errors that tell the caller (or whoever runs the deployment) what to change: the country
// setting, the rate limit that refused a send, the admin header.
import twilio from 'twilio';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID } from '../../emulator';
import { AppError } from '../../src/domain/app-error';
import { assertPhoneAllowed } from '../../src/domain/destination-policy';
import { normalizePhoneNumber } from '../../src/domain/phone';
import { describeRateLimit, RATE_LIMITS } from '../../src/domain/rate-limits';
import { requireAdmin } from '../../src/http/admin-auth';
import { assertBodyAsSent, BODY_PROBLEMS } from '../../src/http/body-checks';
import { mapVerifyError } from '../../src/verify/map-verify-error';
import { withReachedRateLimit } from '../../src/verify/reached-rate-limit';
import type { VerifyConnection } from '../../src/verify/verify-client';
import { createProjectEmulator } from '../support/project-emulator';
import type { Config } from '../../src/config';

const thrown = (work: () => unknown): AppError => {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('did not throw');
};

describe('a blocked country names ALLOWED_COUNTRIES', () => {
  it('with the country it saw', () => {
    const phone = normalizePhoneNumber('+447400123456');
    const error = thrown(() => assertPhoneAllowed(phone, 'sms', { allowedCountries: ['US'] }));
    expect([error.code, error.field, error.message]).toEqual([
      'destination_blocked',
      'to',
      'We cannot send codes to numbers in this country (GB is not in ALLOWED_COUNTRIES).',
    ]);
  });

  it('Verify’s own geo permissions (60605) point at the Console instead', () => {
    const error = mapVerifyError(Object.assign(new Error('blocked'), { status: 403, code: 60605 }), {
      notFound: 'verification_not_found',
    });
    expect([error.code, error.field]).toEqual(['destination_blocked', 'to']);
    expect(error.message).toContain('Geo permissions');
  });
});

describe('a missing or wrong admin token says `Authorization: Bearer`', () => {
  const config = { adminToken: 'the-admin-token-of-this-test' } as Config;
  const event = (authorization?: string) => ({
    request: { headers: authorization ? { authorization } : {}, cookies: {} },
  });

  it.each([[undefined], ['the-admin-token-of-this-test'], ['Basic dXNlcjpwYXNz']])(
    'no Bearer header (%s)',
    (authorization) => {
      const error = thrown(() => requireAdmin(event(authorization), config));
      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe(
        'This route needs the admin token: send the header `Authorization: Bearer <ADMIN_TOKEN>`.',
      );
    },
  );

  it('a wrong token', () => {
    const error = thrown(() => requireAdmin(event('Bearer wrong'), config));
    expect(error.message).toMatch(/^The admin token is not valid \(`Authorization: Bearer <ADMIN_TOKEN>`/);
    expect(error.message).not.toContain(config.adminToken);
  });
});

describe('rate_limited names the Verify rate limit that refused (Twilio-Reached-Rate-Limit)', () => {
  const emulator = createProjectEmulator();
  const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
  const connection: VerifyConnection = {
    client,
    lastRetryAfter: () => undefined,
    lastHeader: () => undefined,
    serverNow: () => Date.now(),
  };
  const refused = () => new AppError('rate_limited', { twilioCode: 20429, retryAfter: 30 });
  const name = (reported: string | undefined) =>
    withReachedRateLimit(refused(), connection, EMULATOR_SERVICE_SID, reported);

  it.each([
    ['destination', 'to'],
    ['phone_prefix', 'to'],
    ['client_key', 'clientKey'],
  ] as const)('%s, by its unique name: the field it meters and what it allows', async (limit, field) => {
    const error = await name(limit);
    expect([error.code, error.field, error.retryAfter, error.twilioCode]).toEqual(['rate_limited', field, 30, 20429]);
    expect(error.message).toContain(describeRateLimit(limit));
  });

  it('by its RK SID, looked up on the service', async () => {
    const limits = await client.verify.v2.services(EMULATOR_SERVICE_SID).rateLimits.list();
    const sid = limits.find((limit) => limit.uniqueName === 'client_key')?.sid;
    expect((await name(sid)).field).toBe('clientKey');
  });

  it('unnamed, or a limit of someone else’s: still 429 rate_limited, saying what is known', async () => {
    expect((await name(undefined)).message).toContain('Verify did not say which');
    expect((await name('ip_address')).message).toContain('its `ip_address` rate limit');
    expect((await name(`RK${'0'.repeat(32)}`)).message).toContain('Verify did not say which');
  });

  it('every limit has one wording, from its buckets', () => {
    expect(RATE_LIMITS.map((limit) => describeRateLimit(limit.uniqueName))).toEqual([
      '`destination`: 10 an hour and 40 a day of sends to one destination',
      '`phone_prefix`: 10 per 10 minutes and 50 a day of sends to one number prefix (the number without its last 4 digits)',
      '`client_key`: 5 per 10 minutes and 20 a day of sends for one `clientKey`',
    ]);
  });
});

describe('a body the runtime does not read says what to send, and never echoes a Content-Type it does not know', () => {
  const event = (contentType: string) => ({
    request: { headers: { 'content-type': contentType, 'content-length': '17' }, cookies: {} },
  });

  it('text/plain, by name', () => {
    expect(thrown(() => assertBodyAsSent(event('text/plain;charset=UTF-8'), {})).message).toBe(
      'A text/plain body is not read: send it as `Content-Type: application/json` (or form-encoded).',
    );
  });

  it('anything else, without repeating it (fuzz seed 1290863252: a header with digits read back as a "leak")', () => {
    const error = thrown(() => assertBodyAsSent(event('\u000e\u000367'), {}));
    expect([error.code, error.field]).toEqual(['invalid_request', 'body']);
    expect(error.message).toBe(
      'A body of this Content-Type is not read: send it as `Content-Type: application/json` (or form-encoded).',
    );
  });
});

describe('a body nested far deeper than any parameter (fuzz seed 1225819078: 4,000+ levels were a 500)', () => {
  const json = { request: { headers: { 'content-type': 'application/json' }, cookies: {} } };
  const nested = (depth: number, leaf: unknown) => {
    let value = leaf;
    for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { v: value };
    return value;
  };

  it('is walked without a stack overflow, so the schema answers it as a 400', () => {
    expect(() => assertBodyAsSent(json, { channel: nested(100_000, 'sms') })).not.toThrow();
  });

  it('still finds a replacement character at the bottom', () => {
    const error = thrown(() => assertBodyAsSent(json, { channel: nested(100_000, 'x\uFFFD') }));
    expect([error.code, error.field, error.message]).toEqual(['invalid_request', 'body', BODY_PROBLEMS.notUtf8]);
  });
});
