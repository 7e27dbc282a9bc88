// Services, RateLimits and Buckets CRUD through the SDK, list paging as the SDK follows it,
// and Programmable Rate Limits metering verification starts (20429 + Retry-After).
import { BASIC_AUTH, EMULATOR_SERVICE_SID, expectTwilioError, setup, TWILIO_DATE } from './support';

describe('services', () => {
  test('create, fetch, update, list and delete', async () => {
    const { client } = setup();
    const created = await client.verify.v2.services.create({
      friendlyName: 'My Shop',
      codeLength: 8,
      customCodeEnabled: true,
      doNotShareWarningEnabled: true,
      'totp.issuer': 'My Shop',
    });
    expect(created.sid).toMatch(/^VA[0-9a-f]{32}$/);
    expect(created).toMatchObject({
      friendlyName: 'My Shop',
      codeLength: 8,
      customCodeEnabled: true,
      lookupEnabled: false,
    });
    expect(created.totp).toEqual({ issuer: 'My Shop', time_step: 30, code_length: 6, skew: 1 });
    expect(created.links.verifications).toBe(`https://verify.twilio.com/v2/Services/${created.sid}/Verifications`);

    const updated = await client.verify.v2.services(created.sid).update({ friendlyName: 'Renamed', codeLength: 5 });
    expect(updated).toMatchObject({ friendlyName: 'Renamed', codeLength: 5, customCodeEnabled: true });
    expect((await client.verify.v2.services(created.sid).fetch()).friendlyName).toBe('Renamed');

    const sids = (await client.verify.v2.services.list()).map((service) => service.sid);
    expect(sids).toEqual([EMULATOR_SERVICE_SID, created.sid]);

    await expect(client.verify.v2.services(created.sid).remove()).resolves.toBe(true);
    await expectTwilioError(client.verify.v2.services(created.sid).fetch(), 20404, 404);
  });

  test('the seeded default service: "Verify Emulator", 6 digits; seeding can be configured or turned off', async () => {
    const { service } = setup();
    expect(await service.fetch()).toMatchObject({ friendlyName: 'Verify Emulator', codeLength: 6 });

    const custom = setup({ seedService: { sid: `VA${'1'.repeat(32)}`, friendlyName: 'Acme', codeLength: 4 } });
    expect(await custom.client.verify.v2.services(`VA${'1'.repeat(32)}`).fetch()).toMatchObject({
      friendlyName: 'Acme',
      codeLength: 4,
    });

    const empty = setup({ seedService: false });
    expect(await empty.client.verify.v2.services.list()).toEqual([]);
    expect(empty.emulator.serviceSid).toBeUndefined();
  });

  test('the seeded service can come with rate limits and buckets, metered at once and re-seeded by reset', async () => {
    const { emulator, service } = setup({
      seedService: {
        rateLimits: [
          { uniqueName: 'destination', description: 'per destination', buckets: [{ max: 2, interval: 3600 }] },
        ],
      },
    });
    const [limit] = await service.rateLimits.list();
    expect(limit).toMatchObject({ uniqueName: 'destination', description: 'per destination' });
    expect(await service.rateLimits(limit.sid).buckets.list()).toEqual([
      expect.objectContaining({ max: 2, interval: 3600 }),
    ]);
    const send = (to: string) => service.verifications.create({ to, channel: 'sms', rateLimits: { destination: to } });
    await send('+14155552671');
    await service.verifications('+14155552671').update({ status: 'canceled' });
    await send('+14155552671');
    await service.verifications('+14155552671').update({ status: 'canceled' });
    await expectTwilioError(send('+14155552671'), 20429, 429);
    emulator.reset();
    expect((await service.rateLimits.list()).map((r) => r.uniqueName)).toEqual(['destination']);
    await expect(send('+14155552671')).resolves.toMatchObject({ status: 'pending' });
  });

  test('deleting a service takes its verifications with it', async () => {
    const { client } = setup();
    const shop = await client.verify.v2.services.create({ friendlyName: 'Shop' });
    const verification = await client.verify.v2
      .services(shop.sid)
      .verifications.create({ to: '+15005550006', channel: 'sms' });
    await client.verify.v2.services(shop.sid).remove();
    await expectTwilioError(client.verify.v2.services(shop.sid).verifications(verification.sid).fetch(), 20404, 404);
  });

  test('lists page with meta the SDK follows: list(), each(), page()', async () => {
    const { client, emulator } = setup();
    for (let i = 1; i <= 6; i += 1) await client.verify.v2.services.create({ friendlyName: `Service ${i}` });

    expect(await client.verify.v2.services.list({ pageSize: 2 })).toHaveLength(7);
    const seen: string[] = [];
    await client.verify.v2.services.each({ pageSize: 3 }, (service) => {
      seen.push(service.friendlyName);
    });
    expect(seen).toHaveLength(7);
    expect(await client.verify.v2.services.list({ pageSize: 2, limit: 3 })).toHaveLength(3);

    const page = await emulator.handle({
      method: 'GET',
      path: '/v2/Services?PageSize=2&Page=1',
      headers: { authorization: BASIC_AUTH },
      body: '',
    });
    const body = JSON.parse(page.body) as { services: unknown[]; meta: Record<string, unknown> };
    expect(body.services).toHaveLength(2);
    expect(body.meta).toEqual({
      page: 1,
      page_size: 2,
      first_page_url: 'https://verify.twilio.com/v2/Services?PageSize=2&Page=0',
      previous_page_url: 'https://verify.twilio.com/v2/Services?PageSize=2&Page=0',
      url: 'https://verify.twilio.com/v2/Services?PageSize=2&Page=1',
      next_page_url: 'https://verify.twilio.com/v2/Services?PageSize=2&Page=2',
      key: 'services',
    });
  });

  test('dates are ISO 8601 without fractions (attempt times with milliseconds) and follow the emulator clock', async () => {
    const base = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    const { emulator, service } = setup({ now: () => base });
    emulator.advanceClock(60);
    const verification = await service.verifications.create({ to: '+15005550006', channel: 'sms' });
    expect(verification.toJSON().dateCreated).toEqual(new Date('2030-01-02T03:05:05Z'));
    expect(verification.sendCodeAttempts[0]).toMatchObject({ time: '2030-01-02T03:05:05.678Z' });
    expect(emulator.messages()[0]?.dateCreated).toMatch(TWILIO_DATE);
  });
});

describe('rate limits and buckets', () => {
  test('CRUD for rate limits and their buckets', async () => {
    const { service } = setup();
    const rateLimit = await service.rateLimits.create({ uniqueName: 'end_user_phone', description: 'per phone' });
    expect(rateLimit.sid).toMatch(/^RK[0-9a-f]{32}$/);
    expect(rateLimit.links.buckets).toBe(`${rateLimit.url}/Buckets`);
    expect((await service.rateLimits(rateLimit.sid).fetch()).uniqueName).toBe('end_user_phone');
    expect((await service.rateLimits(rateLimit.sid).update({ description: 'changed' })).description).toBe('changed');
    expect((await service.rateLimits.list()).map((item) => item.sid)).toEqual([rateLimit.sid]);

    const buckets = service.rateLimits(rateLimit.sid).buckets;
    const bucket = await buckets.create({ max: 5, interval: 60 });
    expect(bucket).toMatchObject({
      max: 5,
      interval: 60,
      rateLimitSid: rateLimit.sid,
      serviceSid: EMULATOR_SERVICE_SID,
    });
    expect(bucket.sid).toMatch(/^BL[0-9a-f]{32}$/);
    expect((await buckets(bucket.sid).update({ max: 7 })).max).toBe(7);
    expect((await buckets(bucket.sid).fetch()).interval).toBe(60);
    expect((await buckets.list()).map((item) => item.sid)).toEqual([bucket.sid]);

    await buckets(bucket.sid).remove();
    expect(await buckets.list()).toEqual([]);
    await service.rateLimits(rateLimit.sid).remove();
    await expectTwilioError(service.rateLimits(rateLimit.sid).fetch(), 20404, 404);
    await expectTwilioError(buckets.list(), 20404, 404);
  });

  test('a duplicate UniqueName is 60208; one with other characters than letters, digits, - _ . is 60209', async () => {
    const { service } = setup();
    await service.rateLimits.create({ uniqueName: 'end_user_ip' });
    await expectTwilioError(service.rateLimits.create({ uniqueName: 'end_user_ip' }), 60208, 400);
    await expectTwilioError(service.rateLimits.create({ uniqueName: 'end user ip' }), 60209, 400);
  });

  test('bucket Max and Interval must be positive integers', async () => {
    const { service } = setup();
    const rateLimit = await service.rateLimits.create({ uniqueName: 'end_user_ip' });
    await expectTwilioError(
      service.rateLimits(rateLimit.sid).buckets.create({ max: 0, interval: 60 }),
      60200,
      400,
      'Invalid parameter: Max',
    );
    await expectTwilioError(
      service.rateLimits(rateLimit.sid).buckets.create({ max: 1, interval: -1 }),
      60200,
      400,
      'Invalid parameter: Interval',
    );
  });

  test('RateLimits on a verification start are metered per distinct value; over the bucket is 20429 with Retry-After', async () => {
    const { emulator, service } = setup();
    const rateLimit = await service.rateLimits.create({ uniqueName: 'end_user_ip' });
    await service.rateLimits(rateLimit.sid).buckets.create({ max: 2, interval: 60 });
    const start = (to: string, ip: string) =>
      service.verifications.create({ to, channel: 'sms', rateLimits: { end_user_ip: ip } });

    await start('+15005550001', '10.0.0.1');
    emulator.advanceClock(10);
    await start('+15005550002', '10.0.0.1');
    await expectTwilioError(start('+15005550003', '10.0.0.1'), 20429, 429);
    await start('+15005550003', '10.0.0.2');

    const raw = await emulator.handle({
      method: 'POST',
      path: `/v2/Services/${EMULATOR_SERVICE_SID}/Verifications`,
      headers: { authorization: BASIC_AUTH },
      body: new URLSearchParams({
        To: '+15005550004',
        Channel: 'sms',
        RateLimits: JSON.stringify({ end_user_ip: '10.0.0.1' }),
      }).toString(),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers['retry-after']).toBe('50');
    // The header Twilio's OpenAPI file declares on this 429 (value undocumented): here, the limit's unique_name.
    expect(raw.headers['twilio-reached-rate-limit']).toBe('end_user_ip');
    expect(emulator.messages({ to: '+15005550004' })).toEqual([]);

    emulator.advanceClock(50);
    await expect(start('+15005550004', '10.0.0.1')).resolves.toMatchObject({ status: 'pending' });
  });

  test('every bucket of a rate limit applies; the tightest decides', async () => {
    const { emulator, service } = setup();
    const rateLimit = await service.rateLimits.create({ uniqueName: 'end_user_phone' });
    await service.rateLimits(rateLimit.sid).buckets.create({ max: 10, interval: 3600 });
    await service.rateLimits(rateLimit.sid).buckets.create({ max: 1, interval: 30 });
    const start = () =>
      service.verifications.create({
        to: '+15005550006',
        channel: 'sms',
        rateLimits: { end_user_phone: '+15005550006' },
      });
    await start();
    await expectTwilioError(start(), 20429, 429);
    emulator.advanceClock(30);
    await start();
  });

  test('a RateLimits key that names no rate limit of the service is 60200', async () => {
    const { service } = setup();
    await expectTwilioError(
      service.verifications.create({ to: '+15005550006', channel: 'sms', rateLimits: { nope: 'x' } }),
      60200,
      400,
      'Invalid parameter: RateLimits',
    );
  });
});
