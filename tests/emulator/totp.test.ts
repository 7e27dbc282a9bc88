// The emulator's Factors API (Entities, TOTP Factors, Challenges) through the real twilio SDK:
// RFC 6238 Appendix B vectors, codes from an independent implementation (otplib), the skew
// window, and the limits and errors in docs/verify-facts.md ("TOTP").
import { generate } from 'otplib';
import { createEmulator } from '../../emulator';
import { base32Encode, hotp } from '../../emulator/totp';
import { EMULATOR_SERVICE_SID, expectTwilioError, rawV2, sdkFor } from './support';

/** The middle of a 30-second step, so ±n steps are unambiguous. */
const MID_STEP_MS = 1_800_000_015_000;
const IDENTITY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

function totpSetup(nowMs = MID_STEP_MS) {
  let base = nowMs;
  const emulator = createEmulator({ now: () => base });
  const client = sdkFor(emulator);
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  return { emulator, client, service, entity: service.entities(IDENTITY), setBase: (ms: number) => (base = ms) };
}

type Alg = 'sha1' | 'sha256' | 'sha512';
/** A code from otplib (not the emulator's implementation) for `secret` at `atMs`. */
function otplibCode(
  secret: string,
  atMs: number,
  options: { alg?: Alg; digits?: number; period?: number } = {},
): Promise<string> {
  return generate({
    secret,
    epoch: Math.floor(atMs / 1000),
    algorithm: options.alg ?? 'sha1',
    digits: options.digits ?? 6,
    period: options.period ?? 30,
  });
}

async function verifiedFactor(setup: ReturnType<typeof totpSetup>, config: Record<string, unknown> = {}) {
  const created = await setup.entity.newFactors.create({
    friendlyName: 'Shop: +1******0199',
    factorType: 'totp',
    ...config,
  });
  const secret = (created.binding as { secret: string }).secret;
  const options = {
    alg: (config['config.alg'] as Alg | undefined) ?? 'sha1',
    digits: (config['config.codeLength'] as number | undefined) ?? 6,
    period: (config['config.timeStep'] as number | undefined) ?? 30,
  };
  const codeAt = (atMs: number) => otplibCode(secret, atMs, options);
  const verified = await setup.entity.factors(created.sid).update({ authPayload: await codeAt(setup.emulator.now()) });
  expect(verified.status).toBe('verified');
  return { sid: created.sid, secret, codeAt };
}

describe('RFC 6238 Appendix B', () => {
  const seeds: Record<Alg, string> = {
    sha1: '12345678901234567890',
    sha256: '12345678901234567890123456789012',
    sha512: '1234567890123456789012345678901234567890123456789012345678901234',
  };
  const vectors: Array<[number, Record<Alg, string>]> = [
    [59, { sha1: '94287082', sha256: '46119246', sha512: '90693936' }],
    [1111111109, { sha1: '07081804', sha256: '68084774', sha512: '25091201' }],
    [1111111111, { sha1: '14050471', sha256: '67062674', sha512: '99943326' }],
    [1234567890, { sha1: '89005924', sha256: '91819424', sha512: '93441116' }],
    [2000000000, { sha1: '69279037', sha256: '90698825', sha512: '38618901' }],
    [20000000000, { sha1: '65353130', sha256: '77737706', sha512: '47863826' }],
  ];
  const cases = vectors.flatMap(([time, codes]) =>
    (Object.keys(codes) as Alg[]).map((alg) => [time, alg, codes[alg]] as const),
  );

  test.each(cases)('T=%d %s → %s (HOTP over floor(T / 30))', (time, alg, code) => {
    expect(hotp(Buffer.from(seeds[alg], 'ascii'), Math.floor(time / 30), alg, 8)).toBe(code);
  });

  test.each(cases)('a factor with the RFC seed shows and accepts the vector at T=%d %s', async (time, alg, code) => {
    const setup = totpSetup(time * 1000);
    const factor = await setup.entity.newFactors.create({
      friendlyName: 'RFC 6238',
      factorType: 'totp',
      'binding.secret': base32Encode(Buffer.from(seeds[alg], 'ascii')),
      'config.alg': alg,
      'config.codeLength': 8,
      'config.skew': 0,
    });
    expect(setup.emulator.totpFactors()[0]?.code).toBe(code);
    expect((await setup.entity.factors(factor.sid).update({ authPayload: code })).status).toBe('verified');
  });
});

describe('codes from an independent implementation (otplib)', () => {
  test.each([
    ['sha1', 6, 30],
    ['sha256', 8, 60],
    ['sha512', 7, 20],
  ] as const)('%s, %d digits, %d s steps: enrolment and sign-in accept them', async (alg, digits, period) => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup, {
      'config.alg': alg,
      'config.codeLength': digits,
      'config.timeStep': period,
    });
    const later = setup.emulator.now() + 10 * period * 1000;
    setup.setBase(later);
    const challenge = await setup.entity.challenges.create({
      factorSid: factor.sid,
      authPayload: await factor.codeAt(later),
    });
    expect(challenge.status).toBe('approved');
    expect(challenge.dateResponded).toBeInstanceOf(Date);
  });

  test('the otpauth URI carries the Base32 secret, issuer, account name and settings', async () => {
    const setup = totpSetup();
    await setup.service.update({ 'totp.issuer': 'Acme Shop' });
    const factor = await setup.entity.newFactors.create({
      friendlyName: 'j***@example.com',
      factorType: 'totp',
      'config.codeLength': 8,
    });
    const binding = factor.binding as { secret: string; uri: string };
    expect(binding.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(binding.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(binding.uri.startsWith('otpauth://totp/Acme%20Shop:j***%40example.com?')).toBe(true);
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: binding.secret,
      issuer: 'Acme Shop',
      algorithm: 'SHA1',
      digits: '8',
      period: '30',
    });
    // The secret is only ever in the creation answer.
    const fetched = await setup.entity.factors(factor.sid).fetch();
    expect(JSON.stringify(fetched.toJSON())).not.toContain(binding.secret);
    expect(fetched.config).toEqual({ alg: 'sha1', skew: 1, code_length: 8, time_step: 30 });
  });
});

describe('the skew window', () => {
  test.each([0, 1, 2])('skew %d accepts codes up to that many steps away and refuses the next ones', async (skew) => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup, { 'config.skew': skew });
    const now = setup.emulator.now();
    for (let steps = -(skew + 1); steps <= skew + 1; steps += 1) {
      const code = await factor.codeAt(now + steps * 30_000);
      const challenge = await setup.entity.challenges.create({ factorSid: factor.sid, authPayload: code });
      expect([steps, challenge.status]).toEqual([steps, Math.abs(steps) <= skew ? 'approved' : 'pending']);
    }
  });
});

describe('enrolment (Factor verification)', () => {
  test('wrong codes leave the factor unverified; after 5 of them even the right code answers 60310', async () => {
    const setup = totpSetup();
    const created = await setup.entity.newFactors.create({ friendlyName: 'Shop', factorType: 'totp' });
    expect(created.status).toBe('unverified');
    const secret = (created.binding as { secret: string }).secret;
    const right = await otplibCode(secret, setup.emulator.now());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await setup.entity.factors(created.sid).update({ authPayload: wrong })).status).toBe('unverified');
    }
    await expectTwilioError(setup.entity.factors(created.sid).update({ authPayload: right }), 60310, 429);
  });

  test('an AuthPayload that cannot be a code of this factor is 60311', async () => {
    const setup = totpSetup();
    const created = await setup.entity.newFactors.create({ friendlyName: 'Shop', factorType: 'totp' });
    await expectTwilioError(setup.entity.factors(created.sid).update({ authPayload: '12345' }), 60311, 403);
    await expectTwilioError(setup.entity.factors(created.sid).update({ authPayload: 'abcdef' }), 60311, 403);
  });

  test('bad settings and secrets are 60200 naming the parameter', async () => {
    const setup = totpSetup();
    const create = (extra: Record<string, unknown>) =>
      setup.entity.newFactors.create({ friendlyName: 'Shop', factorType: 'totp', ...extra });
    await expectTwilioError(create({ 'config.timeStep': 19 }), 60200, 400, /Config.TimeStep/);
    await expectTwilioError(create({ 'config.timeStep': 61 }), 60200, 400, /Config.TimeStep/);
    await expectTwilioError(create({ 'config.skew': 3 }), 60200, 400, /Config.Skew/);
    await expectTwilioError(create({ 'config.codeLength': 2 }), 60200, 400, /Config.CodeLength/);
    await expectTwilioError(create({ 'config.codeLength': 9 }), 60200, 400, /Config.CodeLength/);
    await expectTwilioError(create({ 'config.alg': 'md5' }), 60200, 400, /Config.Alg/);
    await expectTwilioError(create({ 'binding.secret': 'not base32!' }), 60200, 400, /Binding.Secret/);
    // Shorter than RFC 4226's 128 bits (one character decodes to no byte at all).
    await expectTwilioError(create({ 'binding.secret': 'A' }), 60200, 400, /Binding.Secret/);
    await expectTwilioError(create({ 'binding.secret': 'JBSWY3DPEHPK3PXP' }), 60200, 400, /Binding.Secret/);
    await expectTwilioError(
      setup.entity.newFactors.create({ friendlyName: 'x'.repeat(65), factorType: 'totp' }),
      60200,
      400,
      /FriendlyName/,
    );
    await expectTwilioError(
      setup.entity.newFactors.create({ friendlyName: 'Phone', factorType: 'push' }),
      60200,
      400,
      /FactorType/,
    );
  });
});

describe('sign-in (Challenges)', () => {
  test('an unverified factor cannot be challenged (60318)', async () => {
    const setup = totpSetup();
    const created = await setup.entity.newFactors.create({ friendlyName: 'Shop', factorType: 'totp' });
    await expectTwilioError(
      setup.entity.challenges.create({ factorSid: created.sid, authPayload: '123456' }),
      60318,
      403,
    );
  });

  test('5 wrong codes on one challenge, then 60308; an answered challenge is 60322', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    const right = await factor.codeAt(setup.emulator.now());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const challenge = await setup.entity.challenges.create({ factorSid: factor.sid, authPayload: wrong });
    expect(challenge.status).toBe('pending');
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      expect((await setup.entity.challenges(challenge.sid).update({ authPayload: wrong })).status).toBe('pending');
    }
    await expectTwilioError(setup.entity.challenges(challenge.sid).update({ authPayload: right }), 60308, 429);
    const fresh = await setup.entity.challenges.create({ factorSid: factor.sid });
    expect((await setup.entity.challenges(fresh.sid).update({ authPayload: right })).status).toBe('approved');
    await expectTwilioError(setup.entity.challenges(fresh.sid).update({ authPayload: right }), 60322, 403);
  });

  test('challenges expire after 5 minutes by the emulator clock (60323), at most 60 minutes when asked', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    const challenge = await setup.entity.challenges.create({ factorSid: factor.sid });
    expect(challenge.expirationDate.getTime() - challenge.dateCreated.getTime()).toBe(300_000);
    setup.emulator.advanceClock(300);
    expect((await setup.entity.challenges(challenge.sid).fetch()).status).toBe('expired');
    await expectTwilioError(
      setup.entity.challenges(challenge.sid).update({ authPayload: await factor.codeAt(setup.emulator.now()) }),
      60323,
      403,
    );
    const tooLate = new Date(setup.emulator.now() + 61 * 60_000);
    await expectTwilioError(
      setup.entity.challenges.create({ factorSid: factor.sid, expirationDate: tooLate }),
      60200,
      400,
      /ExpirationDate/,
    );
    const hour = await setup.entity.challenges.create({
      factorSid: factor.sid,
      expirationDate: new Date(setup.emulator.now() + 3_600_000),
    });
    expect(hour.status).toBe('pending');
    const listed = await setup.entity.challenges.list({ factorSid: factor.sid, status: 'expired' });
    expect(listed.map((item) => item.sid)).toEqual([challenge.sid]);
  });

  test('6-digit factors: 50 challenges per hour and 100 per 24 hours, then 60312', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    const create = () => setup.entity.challenges.create({ factorSid: factor.sid });
    for (let n = 1; n <= 50; n += 1) await create();
    await expectTwilioError(create(), 60312, 429);
    setup.emulator.advanceClock(3600);
    for (let n = 1; n <= 50; n += 1) await create();
    await expectTwilioError(create(), 60312, 429);
    setup.emulator.advanceClock(3600);
    await expectTwilioError(create(), 60312, 429);
    setup.emulator.advanceClock(22 * 3600);
    expect((await create()).status).toBe('pending');
  });

  test('4-digit factors: 10 challenges per 24 hours', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup, { 'config.codeLength': 4 });
    for (let n = 1; n <= 10; n += 1) await setup.entity.challenges.create({ factorSid: factor.sid });
    await expectTwilioError(setup.entity.challenges.create({ factorSid: factor.sid }), 60312, 429);
    setup.emulator.advanceClock(24 * 3600);
    expect((await setup.entity.challenges.create({ factorSid: factor.sid })).status).toBe('pending');
  });

  test('an AuthPayload outside 3–8 characters is 60200', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    await expectTwilioError(
      setup.entity.challenges.create({ factorSid: factor.sid, authPayload: '12' }),
      60200,
      400,
      /AuthPayload/,
    );
    await expectTwilioError(
      setup.entity.challenges.create({ factorSid: factor.sid, authPayload: '123456789' }),
      60200,
      400,
      /AuthPayload/,
    );
  });
});

describe('entities and identities', () => {
  test.each([
    ['7 characters', 'abc1234'],
    ['65 characters', 'a'.repeat(65)],
    ['an underscore', 'user_12345'],
    ['a double dash', 'user--12345'],
    ['a leading dash', '-user12345'],
  ])('an identity with %s is 60366', async (_case, identity) => {
    const setup = totpSetup();
    await expectTwilioError(setup.service.entities.create({ identity }), 60366, 400);
    await expectTwilioError(
      setup.service.entities(identity).newFactors.create({ friendlyName: 'x', factorType: 'totp' }),
      60366,
      400,
    );
  });

  test('a 64-character hex identity works; a second create is 60301; delete removes factors and challenges', async () => {
    const setup = totpSetup();
    const identity = 'f'.repeat(64);
    const entity = await setup.service.entities.create({ identity });
    expect(entity.sid).toMatch(/^YE[0-9a-f]{32}$/);
    await expectTwilioError(setup.service.entities.create({ identity }), 60301, 409);
    const factor = await setup.service
      .entities(identity)
      .newFactors.create({ friendlyName: 'Shop', factorType: 'totp' });
    expect((await setup.service.entities.list()).map((item) => item.identity)).toEqual([identity]);
    await setup.service.entities(identity).remove();
    await expectTwilioError(setup.service.entities(identity).fetch(), 20404, 404);
    await expectTwilioError(setup.service.entities(identity).factors(factor.sid).fetch(), 20404, 404);
    expect(setup.emulator.totpFactors()).toEqual([]);
  });

  test('a factor created for a new identity creates its entity; factors list and delete', async () => {
    const setup = totpSetup();
    expect(await setup.entity.factors.list()).toEqual([]);
    const factor = await setup.entity.newFactors.create({ friendlyName: 'Shop', factorType: 'totp' });
    expect((await setup.entity.fetch()).sid).toBe(factor.entitySid);
    expect((await setup.entity.factors.list()).map((item) => item.sid)).toEqual([factor.sid]);
    await setup.entity.factors(factor.sid).remove();
    expect(await setup.entity.factors.list()).toEqual([]);
    await expectTwilioError(setup.service.entities('b'.repeat(32)).factors(factor.sid).fetch(), 20404, 404);
  });
});

describe('the inbox shows each factor’s current code', () => {
  test('GET /emulator/v1/factors follows the emulator clock; the inbox page has the section', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    const read = async () => {
      const response = await setup.emulator.handle({
        method: 'GET',
        path: '/emulator/v1/factors',
        headers: {},
        body: '',
      });
      return (
        JSON.parse(response.body) as {
          factors: Array<{ sid: string; code: string; secondsLeft: number; status: string }>;
        }
      ).factors;
    };
    const [first] = await read();
    expect(first).toMatchObject({
      sid: factor.sid,
      status: 'verified',
      code: await factor.codeAt(setup.emulator.now()),
      secondsLeft: 15,
    });
    setup.emulator.advanceClock(30);
    expect((await read())[0]?.code).toBe(await factor.codeAt(setup.emulator.now()));
    const page = await setup.emulator.handle({ method: 'GET', path: '/', headers: {}, body: '' });
    expect(page.body).toContain('id="authenticator"');
    expect(page.body).toContain("fetch('/emulator/v1/factors'");
  });

  test('a raw request with an unknown challenge SID is 20404', async () => {
    const setup = totpSetup();
    const response = await rawV2(
      setup.emulator,
      'GET',
      `/v2/Services/${EMULATOR_SERVICE_SID}/Entities/${IDENTITY}/Challenges/YC${'0'.repeat(32)}`,
    );
    expect(response.status).toBe(404);
  });
});

describe('a real authenticator app after the emulator clock moved (it only knows wall time)', () => {
  // Wall time here is the `now` the emulator was given; the dev API's clock moves only the offset.
  test.each([3600, 601, 86400 * 3])(
    'advanced %d s: codes for the wall clock still enrol and sign in, and so do the emulator clock’s',
    async (seconds) => {
      const setup = totpSetup();
      const wall = MID_STEP_MS;
      const created = await setup.entity.newFactors.create({ friendlyName: 'Shop: +1******0199', factorType: 'totp' });
      const secret = (created.binding as { secret: string }).secret;
      setup.emulator.advanceClock(seconds);
      expect(setup.emulator.now()).toBe(wall + seconds * 1000);

      const enrolled = await setup.entity.factors(created.sid).update({ authPayload: await otplibCode(secret, wall) });
      expect(enrolled.status).toBe('verified');
      const byApp = await setup.entity.challenges.create({
        factorSid: created.sid,
        authPayload: await otplibCode(secret, wall),
      });
      expect(byApp.status).toBe('approved');
      const byInbox = await setup.entity.challenges.create({
        factorSid: created.sid,
        authPayload: await otplibCode(secret, setup.emulator.now()),
      });
      expect(byInbox.status).toBe('approved');
    },
  );

  test('a code for neither clock is still wrong', async () => {
    const setup = totpSetup();
    const factor = await verifiedFactor(setup);
    setup.emulator.advanceClock(3600);
    const challenge = await setup.entity.challenges.create({
      factorSid: factor.sid,
      authPayload: await factor.codeAt(MID_STEP_MS + 1800_000),
    });
    expect(challenge.status).toBe('pending');
  });
});
