import twilio from 'twilio';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  createEmulator,
  type Emulator,
} from '../../emulator';
import { handler } from '../../functions/verification-report';
import { buildVerificationReport, type ReportAttempt } from '../../src/domain/verification-report';
import { invoke, type Handler } from '../support/invoke';

const report = handler as Handler;
const TOKEN = 'an-admin-token-long-enough-0123456789';

/** A runtime context whose Twilio client talks to an in-process emulator. */
function emulatorContext(emulator: Emulator, env: Record<string, string> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    ADMIN_TOKEN: TOKEN,
    ...env,
    getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
  };
}

const call = (
  emulator: Emulator,
  params: Record<string, unknown>,
  opts: { token?: string; env?: Record<string, string> } = {},
) =>
  invoke(report, params, {
    context: emulatorContext(emulator, opts.env),
    headers: {
      'content-type': 'application/json',
      ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
    },
  });

async function seeded(count: number, days = 30) {
  const emulator = createEmulator();
  const answer = await emulator.handle({
    method: 'POST',
    path: '/emulator/v1/seed-attempts',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count, days, seed: 5 }),
  });
  expect(answer.status).toBe(201);
  return emulator;
}

describe('verification-report: admin surface', () => {
  const emulator = createEmulator();

  it('answers 401 without a token and with a wrong one, and reads no attempts', async () => {
    for (const token of [undefined, 'wrong', `${TOKEN}x`]) {
      const res = await call(emulator, { window: '7d' }, { token });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'unauthorized' });
      expect(res.headers['WWW-Authenticate']).toBe('Bearer');
      expect(JSON.stringify(res.body)).not.toMatch(/conversion/);
    }
  });

  it('answers 403 when ADMIN_TOKEN is unset, whatever the token', async () => {
    const res = await call(emulator, { window: '7d' }, { token: TOKEN, env: { ADMIN_TOKEN: '' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'admin_disabled' });
  });

  it('refuses an unknown window or parameter with 400 naming the field', async () => {
    const bad = await call(emulator, { window: '1y' }, { token: TOKEN });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', field: 'window' });
    const extra = await call(emulator, { window: '7d', to: '+14155550100' }, { token: TOKEN });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
  });

  it('never logs the token', async () => {
    const res = await call(emulator, {}, { token: 'guess-guess-guess' });
    const ok = await call(emulator, {}, { token: TOKEN });
    expect(ok.status).toBe(200);
    expect(res.logs.join('\n') + ok.logs.join('\n')).not.toMatch(/guess-guess|an-admin-token/);
  });
});

describe('verification-report: numbers', () => {
  it('pages through all attempts of the window and agrees with the Attempts Summary', async () => {
    const emulator = await seeded(2500);
    for (const window of ['24h', '7d', '30d'] as const) {
      const res = await call(emulator, { window }, { token: TOKEN });
      expect(res.status).toBe(200);
      const body = res.body as unknown as {
        totals: { attempts: number; converted: number };
        summary: { totalAttempts: number; totalConverted: number; matches: boolean };
        series: Array<{ attempts: number; converted: number }>;
        conversionByChannel: Array<{ attempts: number }>;
      };
      expect(body.summary.matches).toBe(true);
      expect(body.totals.attempts).toBe(body.summary.totalAttempts);
      expect(body.totals.converted).toBe(body.summary.totalConverted);
      expect(body.series.reduce((sum, point) => sum + point.attempts, 0)).toBe(body.totals.attempts);
      expect(body.conversionByChannel.reduce((sum, row) => sum + row.attempts, 0)).toBe(body.totals.attempts);
      expect(body.series).toHaveLength(window === '24h' ? 25 : window === '7d' ? 8 : 31);
      if (window === '30d') expect(body.totals.attempts).toBe(2500);
    }
    // Only masked prefixes reach the answer, never a whole number.
    const res = await call(emulator, { window: '30d' }, { token: TOKEN });
    expect(JSON.stringify(res.body)).not.toMatch(/\+\d{8,}/);
  });

  it('flags the seeded pumping destinations', async () => {
    const emulator = await seeded(4000);
    const res = await call(emulator, { window: '30d' }, { token: TOKEN });
    const { signals } = (res.body as unknown as { pumping: { signals: Array<{ kind: string; key: string }> } }).pumping;
    const flagged = signals.map((signal) => `${signal.kind}:${signal.key}`);
    expect(flagged).toEqual(expect.arrayContaining(['country:UZ', 'country:KG', 'prefix:+99890', 'prefix:+99670']));
    expect(flagged).not.toContain('country:US');
  });

  it('answers Verify’s failures as the API’s errors, keeping the Twilio code', async () => {
    const emulator = await seeded(1500);
    const fault = (spec: object) =>
      emulator.handle({
        method: 'POST',
        path: '/emulator/v1/faults',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
    // A failed page fails the report: nothing partial is answered.
    await fault({ match: { method: 'GET', path: '/v2/Attempts' }, status: 503 });
    const failed = await call(emulator, { window: '30d' }, { token: TOKEN });
    expect(failed.status).toBe(502);
    expect(failed.body).not.toHaveProperty('totals');
    expect(failed.body.error).toMatchObject({ code: 'verify_unavailable' });
    await fault({ match: { method: 'GET', path: '/v2/Attempts' }, status: 429, code: 20429 });
    const limited = await call(emulator, { window: '30d' }, { token: TOKEN });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', twilioCode: 20429 });
    await fault({ match: { method: 'GET', path: '/v2/Attempts/Summary' }, status: 503 });
    const down = await call(emulator, { window: '30d' }, { token: TOKEN });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatchObject({ code: 'verify_unavailable' });
  });

  it('reports only the configured service', async () => {
    const emulator = await seeded(300);
    const other = `VA${'1'.repeat(32)}`;
    const res = await call(emulator, { window: '30d' }, { token: TOKEN, env: { VERIFY_SERVICE_SID: other } });
    expect(res.body).toMatchObject({ totals: { attempts: 0 }, summary: { totalAttempts: 0, matches: true } });
    const own = await call(
      emulator,
      { window: '30d' },
      { token: TOKEN, env: { VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID } },
    );
    expect(own.body).toMatchObject({ totals: { attempts: 300 } });
  });
});

describe('buildVerificationReport', () => {
  const now = Date.UTC(2026, 10, 30, 12, 30);
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const attempt = (
    overrides: Partial<ReportAttempt> & { to?: string; country?: string; status?: string },
  ): ReportAttempt => ({
    channel: overrides.channel ?? 'sms',
    conversion_status: overrides.conversion_status ?? 'converted',
    date_created: overrides.date_created ?? at(1),
    channel_data: {
      to: overrides.to ?? '+14155550100',
      country: overrides.country ?? 'US',
      [overrides.channel === 'call' ? 'call_status' : 'message_status']:
        overrides.status ?? (overrides.channel === 'call' ? 'completed' : 'delivered'),
    },
  });

  it('counts conversion by channel and country, failures, and hourly points for 24h', () => {
    const attempts = [
      attempt({}),
      attempt({ conversion_status: 'unconverted', status: 'undelivered' }),
      attempt({ channel: 'call', conversion_status: 'converted', date_created: at(0.2) }),
      attempt({
        channel: 'call',
        conversion_status: 'unconverted',
        status: 'no-answer',
        country: 'GB',
        to: '+447700900000',
      }),
      attempt({ channel: 'email', conversion_status: 'unconverted', date_created: at(5) }),
      attempt({ date_created: at(25) }), // outside the 24h window
    ];
    (attempts[4] as { channel_data: unknown }).channel_data = {
      to: 'a@example.com',
      country: null,
      message_status: 'delivered',
    };
    const result = buildVerificationReport(attempts, '24h', now);
    expect(result.totals).toEqual({ key: 'all', attempts: 5, converted: 2, conversionRate: 40 });
    expect(result.conversionByChannel).toEqual([
      { key: 'call', attempts: 2, converted: 1, conversionRate: 50 },
      { key: 'sms', attempts: 2, converted: 1, conversionRate: 50 },
      { key: 'email', attempts: 1, converted: 0, conversionRate: 0 },
    ]);
    expect(result.conversionByCountry.map((row) => [row.key, row.attempts])).toEqual([
      ['US', 3],
      ['GB', 1],
      ['none', 1],
    ]);
    expect(result.failuresByChannel.slice(0, 2)).toEqual([
      { key: 'call', attempts: 2, failed: 1, failureRate: 50 },
      { key: 'sms', attempts: 2, failed: 1, failureRate: 50 },
    ]);
    expect(result.failuresByCountry.slice(0, 2)).toEqual([
      { key: 'US', attempts: 3, failed: 1, failureRate: 33.3 },
      { key: 'GB', attempts: 1, failed: 1, failureRate: 100 },
    ]);
    expect(result.series).toHaveLength(25);
    expect(result.series.at(-1)).toEqual({ start: '2026-11-30T12:00:00.000Z', attempts: 1, converted: 1 });
    expect(result.series.at(-2)).toMatchObject({ start: '2026-11-30T11:00:00.000Z', attempts: 3, converted: 1 });
    expect(result.pumping.signals).toEqual([]);
  });

  it('flags a prefix with many unconverted attempts against the baseline, not a small or healthy one', () => {
    const attempts = [
      ...Array.from({ length: 100 }, (_, i) =>
        attempt({
          to: `+1415555${String(i).padStart(4, '0')}`,
          conversion_status: i < 80 ? 'converted' : 'unconverted',
        }),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        attempt({
          to: `+99890${String(i).padStart(7, '0')}`,
          country: 'UZ',
          conversion_status: i === 0 ? 'converted' : 'unconverted',
        }),
      ),
      ...Array.from({ length: 10 }, () =>
        attempt({ to: '+37120000000', country: 'LV', conversion_status: 'unconverted' }),
      ),
    ];
    const result = buildVerificationReport(attempts, '7d', now);
    expect(result.pumping.baselineRate).toBe(57.9);
    expect(result.pumping.signals).toEqual([
      { kind: 'country', key: 'UZ', attempts: 30, unconverted: 29, conversionRate: 3.3, excessUnconverted: 16 },
      { kind: 'prefix', key: '+99890', attempts: 30, unconverted: 29, conversionRate: 3.3, excessUnconverted: 16 },
    ]);
    expect(result.series).toHaveLength(8);
  });

  it('has no rates and no signals when nothing was sent', () => {
    const result = buildVerificationReport([], '30d', now);
    expect(result.totals).toEqual({ key: 'all', attempts: 0, converted: 0, conversionRate: null });
    expect(result.pumping).toEqual({ baselineRate: null, signals: [] });
    expect(result.series.every((point) => point.attempts === 0)).toBe(true);
  });
});
