// Verification Attempts: fed by sends, the delivery switch and checks; filters, paging, the
// summary and the seeded history. Every /v2 answer here is also validated against Twilio's
// OpenAPI description (tests/contract/verify-spec.ts).
import { EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { createVerifyContract } from './verify-spec';
import { expectTwilioError, rawV2, setup } from '../emulator/support';

const contract = createVerifyContract();

/** A raw GET whose answer must fit the spec's schema for its operation and status. */
async function getValid(emulator: Emulator, path: string, params: Record<string, string> = {}) {
  const response = await rawV2(emulator, 'GET', path, params);
  const operation = contract.match('GET', path);
  expect(operation).toBeDefined();
  if (response.status < 400) {
    const validate = contract.successValidator(operation?.operationId ?? '', response.status);
    expect(validate).toBeDefined();
    expect(validate?.(response.json) ? [] : validate?.errors).toEqual([]);
  } else {
    expect(contract.errorValidator(response.json) ? [] : contract.errorValidator.errors).toEqual([]);
  }
  return response;
}

const seed = (emulator: Emulator, body: object) =>
  emulator.handle({
    method: 'POST',
    path: '/emulator/v1/seed-attempts',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('attempts from sends, deliveries and checks', () => {
  it('lists each send as an attempt whose SID is the send_code_attempt, with delivery and conversion', async () => {
    const { emulator, client, service } = setup();
    emulator.setDeliveryOutcome('sms', 'undelivered');
    const first = await service.verifications.create({ to: '+14155550101', channel: 'sms' });
    const second = await service.verifications.create({ to: '+14155550101', channel: 'call' });
    const [smsSend, callSend] = second.sendCodeAttempts as Array<{ attempt_sid: string }>;
    expect(first.sid).toBe(second.sid);

    const { json: sms } = await getValid(emulator, `/v2/Attempts/${smsSend?.attempt_sid}`);
    expect(sms).toMatchObject({
      sid: smsSend?.attempt_sid,
      verification_sid: first.sid,
      service_sid: EMULATOR_SERVICE_SID,
      channel: 'sms',
      conversion_status: 'unconverted',
      channel_data: {
        to: '+14155550101',
        status: 'unconfirmed',
        message_status: 'undelivered',
        error_code: '30008',
        country: 'US',
      },
    });

    const { json: callBefore } = await getValid(emulator, '/v2/Attempts', {
      VerificationSid: first.sid,
      Channel: 'call',
    });
    expect(callBefore['attempts']).toMatchObject([{ sid: callSend?.attempt_sid, conversion_status: 'unconverted' }]);

    const code = emulator.messages({ to: '+14155550101' }).at(-1)?.code ?? '';
    await service.verificationChecks.create({ to: '+14155550101', code });
    const { json: call } = await getValid(emulator, `/v2/Attempts/${callSend?.attempt_sid}`);
    expect(call).toMatchObject({
      channel: 'call',
      conversion_status: 'converted',
      channel_data: { status: 'confirmed', call_status: 'completed' },
    });
    // Pages show the change too, not the attempt as first listed.
    const { json: callAfter } = await getValid(emulator, '/v2/Attempts', {
      VerificationSid: first.sid,
      Channel: 'call',
    });
    expect(callAfter['attempts']).toMatchObject([
      { sid: callSend?.attempt_sid, conversion_status: 'converted', channel_data: { status: 'confirmed' } },
    ]);
    // The failed SMS did not convert: only the send whose code was used does.
    const { json: smsAfter } = await getValid(emulator, `/v2/Attempts/${smsSend?.attempt_sid}`);
    expect(smsAfter).toMatchObject({ conversion_status: 'unconverted' });

    // The SDK reads the same resources.
    const listed = await client.verify.v2.verificationAttempts.list({ verificationSid: first.sid });
    expect(listed.map((attempt) => attempt.sid).sort()).toEqual([smsSend?.attempt_sid, callSend?.attempt_sid].sort());
    const summary = await client.verify.v2.verificationAttemptsSummary().fetch();
    expect(summary).toMatchObject({
      totalAttempts: 2,
      totalConverted: 1,
      totalUnconverted: 1,
      conversionRatePercentage: '50',
    });
  });

  it('marks unconverted attempts expired once the code window is over', async () => {
    const { emulator, service } = setup();
    const sent = await service.verifications.create({ to: 'person@example.com', channel: 'email' });
    const sid = (sent.sendCodeAttempts as Array<{ attempt_sid: string }>)[0]?.attempt_sid;
    const { json: before } = await getValid(emulator, '/v2/Attempts', { 'ChannelData.To': 'person@example.com' });
    expect(before['attempts']).toMatchObject([{ sid, channel_data: { status: 'unconfirmed' } }]);
    emulator.advanceClock(601);
    const { json: after } = await getValid(emulator, '/v2/Attempts', { 'ChannelData.To': 'person@example.com' });
    expect(after['attempts']).toMatchObject([{ sid, channel_data: { status: 'expired' } }]);
    const { json } = await getValid(emulator, `/v2/Attempts/${sid}`);
    expect(json).toMatchObject({
      channel: 'email',
      channel_data: { status: 'expired', message_status: 'delivered', country: null },
    });
  });

  it('answers 20404 for an unknown attempt and 60200 for a bad filter', async () => {
    const { emulator, client } = setup();
    await expectTwilioError(client.verify.v2.verificationAttempts(`VL${'0'.repeat(32)}`).fetch(), 20404, 404);
    for (const [name, value] of [
      ['Channel', 'pigeon'],
      ['DateCreatedAfter', 'yesterday'],
      ['VerifyServiceSid', 'VA123'],
      ['Status', 'maybe'],
      ['PageSize', '1001'],
      ['Country', 'USA'],
    ] as const) {
      const response = await getValid(emulator, '/v2/Attempts', { [name]: value });
      expect({ name, status: response.status, code: response.json['code'] }).toEqual({
        name,
        status: 400,
        code: 60200,
      });
    }
    const summary = await getValid(emulator, '/v2/Attempts/Summary', { DestinationPrefix: '57305' });
    expect(summary.status).toBe(400);
  });
});

describe('seeded history', () => {
  it('seeds a history with many countries, channels and days, and pumping bursts', async () => {
    const { emulator } = setup();
    const answer = await seed(emulator, { count: 3000, days: 30, seed: 7 });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ seeded: 3000, serviceSid: EMULATOR_SERVICE_SID, days: 30 });

    const all = await getValid(emulator, '/v2/Attempts/Summary');
    expect(all.json['total_attempts']).toBe(3000);
    const rate = Number(all.json['conversion_rate_percentage']);
    expect(rate).toBeGreaterThan(55);
    expect(rate).toBeLessThan(90);

    // Pumping: Uzbekistan gets bursts that almost never convert.
    const pumped = await getValid(emulator, '/v2/Attempts/Summary', { Country: 'UZ' });
    expect(pumped.json['total_attempts']).toBeGreaterThan(20);
    expect(Number(pumped.json['conversion_rate_percentage'])).toBeLessThan(10);
    const byPrefix = await getValid(emulator, '/v2/Attempts/Summary', { DestinationPrefix: '+99890' });
    expect(byPrefix.json['total_attempts']).toBe(pumped.json['total_attempts']);

    const channels = new Set<string>();
    const countries = new Set<string>();
    const days = new Set<string>();
    let pages = 0;
    let url: string | null = '/v2/Attempts?PageSize=1000';
    while (url) {
      const { pathname, searchParams } = new URL(url, 'https://verify.twilio.com');
      const page = await getValid(emulator, pathname, Object.fromEntries(searchParams));
      const { attempts, meta } = page.json as {
        attempts: Array<{ channel: string; date_created: string; channel_data: { country: string | null } }>;
        meta: { next_page_url: string | null };
      };
      for (const attempt of attempts) {
        channels.add(attempt.channel);
        if (attempt.channel_data.country) countries.add(attempt.channel_data.country);
        days.add(attempt.date_created.slice(0, 10));
      }
      pages += 1;
      url = meta.next_page_url;
    }
    expect(pages).toBe(3);
    expect([...channels].sort()).toEqual(['call', 'email', 'sms', 'whatsapp']);
    expect(countries.size).toBeGreaterThanOrEqual(10);
    expect(days.size).toBeGreaterThanOrEqual(28);
  });

  it('filters the list and keeps the filters in the page links', async () => {
    const { emulator } = setup();
    await seed(emulator, { count: 800, days: 7, seed: 3 });
    const filtered = await getValid(emulator, '/v2/Attempts', {
      Channel: 'sms',
      Country: 'US',
      Status: 'UNCONVERTED',
      PageSize: '5',
    });
    const { attempts, meta } = filtered.json as {
      attempts: Array<{
        channel: string;
        conversion_status: string;
        date_created: string;
        channel_data: { country: string };
      }>;
      meta: { next_page_url: string };
    };
    expect(attempts).toHaveLength(5);
    for (const attempt of attempts)
      expect([attempt.channel, attempt.conversion_status, attempt.channel_data.country]).toEqual([
        'sms',
        'unconverted',
        'US',
      ]);
    const dates = attempts.map((attempt) => attempt.date_created);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(new URL(meta.next_page_url).searchParams.get('Country')).toBe('US');

    const summary = await getValid(emulator, '/v2/Attempts/Summary', { Channel: 'sms', Country: 'US' });
    const converted = await getValid(emulator, '/v2/Attempts', {
      Channel: 'sms',
      Country: 'US',
      Status: 'converted',
      PageSize: '1000',
    });
    expect((converted.json['attempts'] as unknown[]).length).toBe(summary.json['total_converted']);

    const cutoff = new Date(emulator.now() - 86_400_000).toISOString().slice(0, 19) + 'Z';
    const lastDay = await getValid(emulator, '/v2/Attempts/Summary', { DateCreatedAfter: cutoff });
    const before = await getValid(emulator, '/v2/Attempts/Summary', { DateCreatedBefore: cutoff });
    expect(Number(lastDay.json['total_attempts']) + Number(before.json['total_attempts'])).toBe(800);
    expect(lastDay.json['total_attempts']).toBeGreaterThan(0);
  });

  it('refuses a seed body that is not JSON or out of range, and reset empties the history', async () => {
    const { emulator } = setup();
    const bad = await emulator.handle({
      method: 'POST',
      path: '/emulator/v1/seed-attempts',
      headers: {},
      body: 'count=5',
    });
    expect(bad.status).toBe(415); // the dev API guard: bodies must be JSON;
    expect((await seed(emulator, { count: 0 })).status).toBe(400);
    expect((await seed(emulator, { days: 31 })).status).toBe(400);
    await seed(emulator, { count: 50 });
    emulator.reset();
    const summary = await getValid(emulator, '/v2/Attempts/Summary');
    expect(summary.json).toMatchObject({ total_attempts: 0, conversion_rate_percentage: null });
  });

  it('gives the same history for the same seed', async () => {
    const now = () => Date.UTC(2026, 10, 30, 12);
    const a = setup({ now });
    const b = setup({ now });
    await seed(a.emulator, { count: 300, seed: 11 });
    await seed(b.emulator, { count: 300, seed: 11 });
    const summaries = await Promise.all(
      [a.emulator, b.emulator].map((emulator) => getValid(emulator, '/v2/Attempts/Summary', { Channel: 'sms' })),
    );
    expect(summaries[0]?.json['total_converted']).toBe(summaries[1]?.json['total_converted']);
  });
});
