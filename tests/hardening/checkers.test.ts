// The fuzz properties are only as good as their checkers: each one must flag a planted fault.
import { contractViolations, hasLongDigitRun, leakViolations, type Answer } from './support';

const logLine = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    level: 'info',
    route: 'start-verify',
    status: 200,
    outcome: 'ok',
    latencyMs: 1.2,
    to: '+1******2671',
    ...extra,
  });

const good = (): Answer => ({
  status: 200,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: {
    ok: true,
    verification: `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${'x'.repeat(16)}.${'y'.repeat(200)}.${'z'.repeat(22)}`,
    to: '+1******2671',
    channel: 'sms',
    status: 'pending',
    sendCodeAttempts: 1,
    retryAfter: 30,
    expiresIn: 600,
  },
  logs: [logLine()],
  callbacks: 1,
  ms: 1,
  isResponse: true,
});
const expectations = { route: 'start-verify' as const, allowedOrigins: ['https://app.example.com'], preflight: false };

describe('contract and leak checkers', () => {
  it('a good answer passes', () => {
    expect(contractViolations(good(), expectations)).toEqual([]);
    expect(
      leakViolations(good(), [
        { kind: 'code', value: '493817' },
        { kind: 'phone number', value: '14155552671' },
      ]),
    ).toEqual([]);
    expect(hasLongDigitRun(good())).toBe(false);
  });

  it.each<[string, (a: Answer) => void, RegExp]>([
    [
      'a 5xx',
      (a) =>
        Object.assign(a, {
          status: 500,
          body: { ok: false, error: { code: 'internal_error', message: 'x' } },
          logs: [logLine({ status: 500, outcome: 'internal_error', level: 'error' })],
        }),
      /5xx/,
    ],
    ['a rejected handler', (a) => Object.assign(a, { failure: 'handler rejected: TypeError: x' }), /rejected/],
    ['no callback', (a) => Object.assign(a, { callbacks: 0 }), /callback called 0/],
    ['two log lines', (a) => a.logs.push(logLine()), /2 log lines/],
    ['a log line that is not JSON', (a) => (a.logs[0] = 'sent code 493817'), /not JSON/],
    ['an unmasked number in the log', (a) => (a.logs[0] = logLine({ to: '+14155552671' })), /not masked/],
    ['a wrong Content-Type', (a) => (a.headers['Content-Type'] = 'text/html'), /Content-Type/],
    [
      'an undocumented error code',
      (a) =>
        Object.assign(a, {
          status: 400,
          body: { ok: false, error: { code: 'oops', message: 'x' } },
          logs: [logLine({ status: 400, outcome: 'oops' })],
        }),
      /not documented/,
    ],
    [
      'a status that does not match the code',
      (a) =>
        Object.assign(a, {
          status: 400,
          body: { ok: false, error: { code: 'incorrect_code', message: 'x' } },
          logs: [logLine({ status: 400, outcome: 'incorrect_code' })],
        }),
      /does not match/,
    ],
    [
      'an extra error key (a stack)',
      (a) =>
        Object.assign(a, {
          status: 400,
          body: { ok: false, error: { code: 'invalid_request', message: 'x', stack: 'at …' } },
          logs: [logLine({ status: 400, outcome: 'invalid_request' })],
        }),
      /unexpected key stack/,
    ],
    ['CORS wildcard', (a) => (a.headers['Access-Control-Allow-Origin'] = '*'), /wildcard/],
    ['CORS with credentials', (a) => (a.headers['Access-Control-Allow-Credentials'] = 'true'), /Credentials/],
    ['an unmasked `to` in the body', (a) => ((a.body as Record<string, unknown>).to = '+14155552671'), /masked to/],
  ])('flags %s', (_label, plant, expected) => {
    const answer = good();
    plant(answer);
    expect(contractViolations(answer, expectations).join('\n')).toMatch(expected);
  });

  it('flags an allowed origin that is not echoed, and CORS headers for a disallowed one', () => {
    expect(contractViolations(good(), { ...expectations, origin: 'https://app.example.com' }).join()).toMatch(
      /not echoed/,
    );
    const leaky = good();
    leaky.headers['Access-Control-Allow-Origin'] = 'https://evil.example.com';
    expect(contractViolations(leaky, { ...expectations, origin: 'https://evil.example.com' }).join()).toMatch(
      /disallowed origin/,
    );
  });

  it('flags a code, a full number or a token anywhere in the body, headers or logs, but not inside a SID', () => {
    const secrets = [
      { kind: 'code' as const, value: '493817' },
      { kind: 'phone number' as const, value: '14155552671' },
      { kind: 'admin token' as const, value: 'adm_secret_123' },
    ];
    const inBody = good();
    (inBody.body as Record<string, unknown>).debug = 'code 493817';
    expect(leakViolations(inBody, secrets)).toEqual(['leak: code']);
    const inLog = good();
    inLog.logs[0] = logLine({ to: '+14155552671' });
    expect(leakViolations(inLog, secrets)).toEqual(['leak: phone number']);
    expect(hasLongDigitRun(inLog)).toBe(true);
    const inHeader = good();
    inHeader.headers['X-Debug'] = 'Bearer adm_secret_123';
    expect(leakViolations(inHeader, secrets)).toEqual(['leak: admin token']);
    const inSid = good();
    (inSid.body as Record<string, unknown>).debugSid = `VE${'0'.repeat(13)}493817${'0'.repeat(13)}`;
    expect(leakViolations(inSid, secrets)).toEqual([]);
    expect(hasLongDigitRun(inSid)).toBe(false);
    // Handles are ciphertext: a chance run of digits in one is not a leak.
    const inHandle = good();
    (inHandle.body as Record<string, unknown>).verification = `A${'x'.repeat(100)}493817${'x'.repeat(100)}`;
    expect(hasLongDigitRun(inHandle)).toBe(false);
  });
});
