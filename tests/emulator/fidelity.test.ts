// Where the emulator used to be kinder than Verify: each case is what Twilio
// answers (docs/verify-facts.md, error pages 60200/60204/60217) and what the emulator now does.
import { EMULATOR_SERVICE_SID, startEmulatorServer, type RunningEmulatorServer } from '../../emulator';
import { expectTwilioError, setup } from './support';

describe('phone numbers: well-formed is not enough', () => {
  test.each([
    ['too short', '+12345'],
    ['no such country code', '+999123456789'],
    ['an unassigned area code', '+15551234567'],
  ])('%s (%s) is 60200 naming the number, as live', async (_case, to) => {
    const { emulator, service } = setup();
    await expectTwilioError(
      service.verifications.create({ to, channel: 'sms' }),
      60200,
      400,
      `Invalid parameter \`To\`: ${to}`,
    );
    expect(emulator.messages()).toEqual([]);
  });

  test('valid numbers (and configured test numbers) still go through', async () => {
    const { emulator, service } = setup({ testNumbers: { '+15551230000': '111111' } });
    await service.verifications.create({ to: '+14155552671', channel: 'sms' });
    await service.verifications.create({ to: '+442079460958', channel: 'call' });
    await service.verifications.create({ to: '+15551230000', channel: 'sms' });
    expect(emulator.messages()).toHaveLength(3);
  });
});

describe('locales', () => {
  test.each(['xx', 'zz-ZZ', 'en-XX'])('Locale %s is refused with 60200', async (locale) => {
    const { service } = setup();
    await expectTwilioError(
      service.verifications.create({ to: '+14155552671', channel: 'sms', locale }),
      60200,
      400,
      /Locale/,
    );
  });

  test.each(['fr', 'pt-BR', 'pt_BR', 'zh-HK', 'EN-gb'])('Locale %s is one Verify supports', async (locale) => {
    const { service } = setup();
    await expect(service.verifications.create({ to: '+14155552671', channel: 'sms', locale })).resolves.toMatchObject({
      status: 'pending',
    });
  });
});

describe('features Twilio sets up outside the API', () => {
  test('CustomFriendlyName is 60204 (403) until the service has it enabled', async () => {
    const { emulator, service } = setup();
    await expectTwilioError(
      service.verifications.create({ to: '+14155552671', channel: 'sms', customFriendlyName: 'Acme' }),
      60204,
      403,
    );
    const enabled = setup({ seedService: { customFriendlyNameEnabled: true } });
    await enabled.service.verifications.create({ to: '+14155552671', channel: 'sms', customFriendlyName: 'Acme' });
    expect(enabled.emulator.messages()[0]?.body).toMatch(/^Your Acme verification code is/);
    expect(emulator.messages()).toEqual([]);
  });

  test('email needs an email integration: the seeded service has one, a created one gets 60217 until configured', async () => {
    const { emulator, client, service } = setup();
    await service.verifications.create({ to: 'person@example.com', channel: 'email' });
    const created = await client.verify.v2.services.create({ friendlyName: 'New App' });
    await expectTwilioError(
      client.verify.v2.services(created.sid).verifications.create({ to: 'other@example.com', channel: 'email' }),
      60217,
      400,
      /email integration/,
    );
    // SMS on that service is unaffected.
    await client.verify.v2.services(created.sid).verifications.create({ to: '+14155552671', channel: 'sms' });

    const settings = await emulator.handle({
      method: 'POST',
      path: '/emulator/v1/service-settings',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceSid: created.sid, mailer: true, customFriendlyNameEnabled: true }),
    });
    expect(JSON.parse(settings.body)).toEqual({
      serviceSid: created.sid,
      mailer: true,
      customFriendlyNameEnabled: true,
    });
    await client.verify.v2
      .services(created.sid)
      .verifications.create({ to: 'other@example.com', channel: 'email', customFriendlyName: 'Acme' });
    expect(emulator.messages({ to: 'other@example.com' })[0]?.subject).toBe('Acme verification code');

    const seedOff = setup({ seedService: { mailer: false } });
    await expectTwilioError(
      seedOff.service.verifications.create({ to: 'person@example.com', channel: 'email' }),
      60217,
      400,
    );
  });
});

describe('representations as live', () => {
  test('lookup is {"carrier": null} without Lookup, carrier data with it (phone channels only)', async () => {
    const { client, service } = setup();
    const plain = await service.verifications.create({ to: '+14155552671', channel: 'sms' });
    expect(plain.lookup).toEqual({ carrier: null });
    const looked = await client.verify.v2.services.create({ friendlyName: 'Lookup', lookupEnabled: true });
    const mobile = await client.verify.v2
      .services(looked.sid)
      .verifications.create({ to: '+4915000000000', channel: 'sms' });
    expect(mobile.lookup).toEqual({
      carrier: {
        error_code: null,
        name: expect.any(String),
        mobile_country_code: null,
        mobile_network_code: null,
        type: 'mobile',
      },
    });
    const landline = await client.verify.v2
      .services(looked.sid)
      .verifications.create({ to: '+442079460958', channel: 'call' });
    expect((landline.lookup as { carrier: { type: string } }).carrier.type).toBe('landline');
    const fetched = await client.verify.v2.services(looked.sid).verifications(mobile.sid).fetch();
    expect(fetched.lookup).toEqual(mobile.lookup);
  });

  test('totp.issuer is the friendly name until set, and follows a rename', async () => {
    const { client, service } = setup();
    expect((await service.fetch()).totp).toMatchObject({ issuer: 'Verify Emulator' });
    const created = await client.verify.v2.services.create({ friendlyName: 'Shop' });
    expect(created.totp).toMatchObject({ issuer: 'Shop' });
    const renamed = await client.verify.v2.services(created.sid).update({ friendlyName: 'Shop Two' });
    expect(renamed.totp).toMatchObject({ issuer: 'Shop Two' });
    const explicit = await client.verify.v2.services.create({ friendlyName: 'Bank', 'totp.issuer': 'Bank Inc' });
    expect(explicit.totp).toMatchObject({ issuer: 'Bank Inc' });
  });

  test('send attempt times carry milliseconds', async () => {
    const base = Date.UTC(2030, 0, 2, 3, 4, 5, 42);
    const { service } = setup({ now: () => base });
    const verification = await service.verifications.create({ to: '+14155552671', channel: 'sms' });
    expect(verification.sendCodeAttempts).toEqual([expect.objectContaining({ time: '2030-01-02T03:04:05.042Z' })]);
  });
});

describe('developer API over HTTP', () => {
  let server: RunningEmulatorServer;
  beforeEach(async () => {
    server = await startEmulatorServer({ testNumbers: { '+14155552671': '123456' } });
  });
  afterEach(() => server.close());

  const sms = () =>
    server.emulator.httpClient.request({
      method: 'post',
      uri: `https://verify.twilio.com/v2/Services/${EMULATOR_SERVICE_SID}/Verifications`,
      username: server.emulator.accountSid,
      password: server.emulator.authToken,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: { To: '+14155552671', Channel: 'sms' },
    });

  test('GET /emulator/v1/messages?to=+1… (unencoded) finds the messages, like the encoded form', async () => {
    await sms();
    const raw = (await (await fetch(`${server.url}/emulator/v1/messages?to=+14155552671`)).json()) as {
      messages: unknown[];
    };
    const encoded = (await (await fetch(`${server.url}/emulator/v1/messages?to=%2B14155552671`)).json()) as {
      messages: unknown[];
    };
    expect(raw.messages).toHaveLength(1);
    expect(raw).toEqual(encoded);
  });

  test('state-changing calls from a foreign Origin or with a non-JSON body are refused; the tools and the inbox page still work', async () => {
    await sms();
    const post = (path: string, headers: Record<string, string>, body?: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    // What a cross-site page can send without a preflight: a form or text/plain POST.
    const crossSite = await post(
      '/emulator/v1/reset',
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      '{}',
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toEqual({ error: expect.stringContaining('https://evil.example') });
    expect(
      (
        await post(
          '/emulator/v1/clock',
          { origin: 'null', 'content-type': 'application/json' },
          '{"advanceSeconds":601}',
        )
      ).status,
    ).toBe(403);
    const textPlain = await post('/emulator/v1/faults', { 'content-type': 'text/plain' }, '{"status":500}');
    expect(textPlain.status).toBe(415);
    const del = await fetch(`${server.url}/emulator/v1/faults`, {
      method: 'DELETE',
      headers: { origin: 'http://localhost:9' },
    });
    expect(del.status).toBe(403);
    expect(server.emulator.messages()).toHaveLength(1);
    expect((await (await fetch(`${server.url}/emulator/v1/faults`)).json()) as unknown).toEqual({ faults: [] });

    const sameOrigin = await post(
      '/emulator/v1/reset',
      { origin: server.url, 'content-type': 'application/json' },
      '{}',
    );
    expect(sameOrigin.status).toBe(200);
    expect(server.emulator.messages()).toHaveLength(0);
    expect((await post('/emulator/v1/reset', {})).status).toBe(200);
  });
});
