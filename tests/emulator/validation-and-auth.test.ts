// Invalid requests answer Verify's codes: 60200 naming the parameter, 60221, 20003, 20404.
import { EMULATOR_ACCOUNT_SID } from '../../emulator';
import { BASIC_AUTH, EMULATOR_SERVICE_SID, expectTwilioError, rawV2, sdkFor, setup } from './support';

const VERIFICATIONS = `/v2/Services/${EMULATOR_SERVICE_SID}/Verifications`;

describe('60200 Invalid parameter, naming it', () => {
  test.each([
    ['a To without +', { to: '15005550006', channel: 'sms' }, 'To'],
    ['a To with letters', { to: '+1500555abcd', channel: 'sms' }, 'To'],
    ['a phone channel with an email To', { to: 'person@example.com', channel: 'sms' }, 'To'],
    ['the email channel with a phone To', { to: '+15005550006', channel: 'email' }, 'To'],
    ['the folklore channel "voice" (the API value is call)', { to: '+15005550006', channel: 'voice' }, 'Channel'],
    ['sna, which the emulator cannot deliver', { to: '+15005550006', channel: 'sna' }, 'Channel'],
    [
      'a CustomFriendlyName over 30 characters',
      { to: '+15005550006', channel: 'sms', customFriendlyName: 'x'.repeat(31) },
      'CustomFriendlyName',
    ],
    ['RateLimits that is not a JSON object', { to: '+15005550006', channel: 'sms', rateLimits: '[1]' }, 'RateLimits'],
  ])('verification create with %s', async (_case, params, name) => {
    const { service } = setup();
    await expectTwilioError(service.verifications.create(params), 60200, 400, `Invalid parameter: ${name}`);
  });

  test.each([
    ['CodeLength 3', { friendlyName: 'Shop', codeLength: 3 }, 'CodeLength'],
    ['CodeLength 11', { friendlyName: 'Shop', codeLength: 11 }, 'CodeLength'],
    ['a FriendlyName of 31 characters', { friendlyName: 'x'.repeat(31) }, 'FriendlyName'],
    ['a FriendlyName with 5 consecutive digits', { friendlyName: 'Call 55512' }, 'FriendlyName'],
    ['a FriendlyName with more than 4 digits in all', { friendlyName: 'A1 B2 C3 D4 E5' }, 'FriendlyName'],
    ['an empty FriendlyName', { friendlyName: '   ' }, 'FriendlyName'],
    ['Totp.TimeStep 61', { friendlyName: 'Shop', 'totp.timeStep': 61 }, 'Totp.TimeStep'],
  ])('service create with %s', async (_case, params, name) => {
    const { client } = setup();
    await expectTwilioError(client.verify.v2.services.create(params), 60200, 400, `Invalid parameter: ${name}`);
  });

  test('accepts the limits themselves: 30 characters, 4 digits, CodeLength 4 and 10', async () => {
    const { client } = setup();
    await expect(client.verify.v2.services.create({ friendlyName: `${'x'.repeat(26)}2024` })).resolves.toBeDefined();
    await expect(client.verify.v2.services.create({ friendlyName: 'Four', codeLength: 4 })).resolves.toMatchObject({
      codeLength: 4,
    });
    await expect(client.verify.v2.services.create({ friendlyName: 'Ten', codeLength: 10 })).resolves.toMatchObject({
      codeLength: 10,
    });
  });

  test('service update validates like create', async () => {
    const { client } = setup();
    await expectTwilioError(
      client.verify.v2.services(EMULATOR_SERVICE_SID).update({ codeLength: 12 }),
      60200,
      400,
      /CodeLength/,
    );
  });

  test('a FriendlyName missing from the body (the SDK refuses before sending)', async () => {
    const { emulator } = setup();
    const response = await rawV2(emulator, 'POST', '/v2/Services', {});
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      code: 60200,
      message: 'Invalid parameter: FriendlyName',
      more_info: 'https://www.twilio.com/docs/errors/60200',
      status: 400,
    });
  });

  test('a check code that is not 4–10 letters or digits', async () => {
    const { service } = setup();
    await service.verifications.create({ to: '+15005550006', channel: 'sms' });
    await expectTwilioError(
      service.verificationChecks.create({ to: '+15005550006', code: '123' }),
      60200,
      400,
      'Invalid parameter: Code',
    );
  });

  test('a verification update to a status other than canceled or approved', async () => {
    const { service } = setup();
    const verification = await service.verifications.create({ to: '+15005550006', channel: 'sms' });
    await expectTwilioError(
      service.verifications(verification.sid).update({ status: 'pending' as never }),
      60200,
      400,
      'Invalid parameter: Status',
    );
  });
});

test('a check with neither To nor VerificationSid is 60221 (400)', async () => {
  const { service } = setup();
  await expectTwilioError(service.verificationChecks.create({ code: '123456' }), 60221, 400);
});

describe('authentication (20003, 401)', () => {
  test('a wrong auth token through the SDK', async () => {
    const { emulator } = setup();
    const client = sdkFor(emulator, 'f'.repeat(32));
    await expectTwilioError(client.verify.v2.services.list(), 20003, 401, 'Authenticate');
    await expectTwilioError(
      client.verify.v2.services(EMULATOR_SERVICE_SID).verifications.create({ to: '+15005550006', channel: 'sms' }),
      20003,
      401,
    );
    expect(emulator.messages()).toEqual([]);
  });

  test('missing credentials, another account, or a malformed header', async () => {
    const { emulator } = setup();
    const otherAccount = `Basic ${Buffer.from(`AC${'1'.repeat(32)}:${'e0'.repeat(16)}`).toString('base64')}`;
    for (const authorization of [null, otherAccount, 'Bearer abc', 'Basic !!!']) {
      const response = await rawV2(emulator, 'GET', '/v2/Services', {}, authorization);
      expect(response.status).toBe(401);
      expect(response.json).toMatchObject({ code: 20003, status: 401 });
      expect(response.headers['www-authenticate']).toMatch(/^Basic/);
    }
    expect((await rawV2(emulator, 'GET', '/v2/Services', {}, BASIC_AUTH)).status).toBe(200);
  });

  test('custom credentials replace the defaults', async () => {
    const { emulator } = setup({ accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) });
    expect((await rawV2(emulator, 'GET', '/v2/Services')).status).toBe(401);
    expect(emulator.accountSid).not.toBe(EMULATOR_ACCOUNT_SID);
  });
});

describe('20404 and unknown routes', () => {
  test('an unknown service', async () => {
    const { client } = setup();
    const unknown = `VA${'0'.repeat(32)}`;
    await expectTwilioError(
      client.verify.v2.services(unknown).fetch(),
      20404,
      404,
      `The requested resource /Services/${unknown} was not found`,
    );
    await expectTwilioError(
      client.verify.v2.services(unknown).verifications.create({ to: '+15005550006', channel: 'sms' }),
      20404,
      404,
    );
    await expectTwilioError(
      client.verify.v2.services(unknown).verificationChecks.create({ to: '+15005550006', code: '123456' }),
      20404,
      404,
    );
  });

  test('an unknown verification SID', async () => {
    const { service } = setup();
    await expectTwilioError(service.verifications(`VE${'0'.repeat(32)}`).fetch(), 20404, 404);
  });

  test('a path Verify does not have is 20404; a method it does not allow is 20004 (405)', async () => {
    const { emulator } = setup();
    expect((await rawV2(emulator, 'GET', '/v2/Nothing')).json).toMatchObject({ code: 20404, status: 404 });
    expect((await rawV2(emulator, 'DELETE', VERIFICATIONS)).json).toMatchObject({ code: 20004, status: 405 });
  });

  test('JSON request bodies are read like form bodies', async () => {
    const { emulator } = setup();
    const response = await emulator.handle({
      method: 'POST',
      path: VERIFICATIONS,
      headers: { authorization: BASIC_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ To: '+15005550006', Channel: 'sms', RateLimits: {} }),
    });
    expect(response.status).toBe(201);
  });
});
