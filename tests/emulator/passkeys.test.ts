// The emulator's Passkeys API through the real twilio SDK (newFactors, newVerifyFactors,
// newChallenge, approveChallenge): real WebAuthn bytes from a software authenticator, checked by
// @simplewebauthn/server inside the emulator: challenge binding, origin, RP id, user
// verification, and the signature counter (a clone's going back is refused).
import { EMULATOR_SERVICE_SID, createEmulator } from '../../emulator';
import { passkeysApi, type PasskeyFactorConfig } from '../../src/verify/passkeys-api';
import { softAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator';
import { expectTwilioError, sdkFor } from './support';

const ORIGIN = 'https://shop.example';
const IDENTITY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const CONFIG: PasskeyFactorConfig = {
  relying_party: { id: 'shop.example', name: 'Shop', origins: [ORIGIN] },
  authenticator_attachment: 'platform',
  discoverable_credentials: 'preferred',
  user_verification: 'required',
};

function passkeySetup() {
  const emulator = createEmulator();
  const client = sdkFor(emulator);
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  return { emulator, client, service, api: passkeysApi(service) };
}

async function configuredService(setup: ReturnType<typeof passkeySetup>) {
  await setup.service.update({
    'passkeys.relyingParty.id': 'shop.example',
    'passkeys.relyingParty.name': 'Shop',
    'passkeys.relyingParty.origins': ORIGIN,
    'passkeys.authenticatorAttachment': 'platform',
    'passkeys.discoverableCredentials': 'preferred',
    'passkeys.userVerification': 'required',
  });
}

const creationOptions = (factor: { options: unknown }) => (factor.options as { publicKey: CreationOptions }).publicKey;
const requestOptions = (challenge: { options: unknown }) =>
  (challenge.options as { publicKey: RequestOptions }).publicKey;

async function registered(
  setup: ReturnType<typeof passkeySetup>,
  authenticator = softAuthenticator({ origin: ORIGIN }),
) {
  const factor = await setup.api.createFactor({
    friendly_name: 'Shop: +1******0199',
    identity: IDENTITY,
    config: CONFIG,
  });
  const verified = await setup.api.verifyFactor(authenticator.create(creationOptions(factor)));
  return { factor, verified, authenticator };
}

describe('the Service’s passkeys settings', () => {
  test('are null until set, then the relying party and criteria as given (origins split on commas)', async () => {
    const setup = passkeySetup();
    expect((await setup.service.fetch()).passkeys).toEqual({
      relying_party: { id: null, name: null, origins: null },
      authenticator_attachment: null,
      discoverable_credentials: null,
      user_verification: null,
    });
    const created = await setup.client.verify.v2.services.create({
      friendlyName: 'Shop',
      'passkeys.relyingParty.id': 'shop.example',
      'passkeys.relyingParty.name': 'Shop',
      'passkeys.relyingParty.origins': 'https://shop.example, https://www.shop.example',
      'passkeys.userVerification': 'required',
    });
    expect(created.passkeys).toMatchObject({
      relying_party: {
        id: 'shop.example',
        name: 'Shop',
        origins: ['https://shop.example', 'https://www.shop.example'],
      },
      user_verification: 'required',
    });
  });

  test('refuse an RP id with a scheme or port, and an origin that is not one', async () => {
    const setup = passkeySetup();
    await expectTwilioError(setup.service.update({ 'passkeys.relyingParty.id': 'https://shop.example' }), 60200, 400);
    await expectTwilioError(
      setup.service.update({ 'passkeys.relyingParty.origins': 'shop.example/login' }),
      60200,
      400,
    );
  });
});

describe('registration (Passkeys/Factors, Passkeys/VerifyFactor)', () => {
  test('creation options carry the RP, the Entity SID as user handle, a fresh challenge; the attestation verifies the factor', async () => {
    const setup = passkeySetup();
    const factor = await setup.api.createFactor({
      friendly_name: 'Shop: +1******0199',
      identity: IDENTITY,
      config: CONFIG,
    });
    expect(factor).toMatchObject({ status: 'unverified', factorType: 'passkeys', identity: IDENTITY });
    const options = creationOptions(factor) as CreationOptions & Record<string, unknown>;
    expect(options).toMatchObject({
      rp: { id: 'shop.example', name: 'Shop' },
      attestation: 'none',
      authenticatorSelection: { userVerification: 'required', authenticatorAttachment: 'platform' },
    });
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(factor.entitySid);
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
    const other = await setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY, config: CONFIG });
    expect(creationOptions(other).challenge).not.toBe(options.challenge);

    const verified = await setup.api.verifyFactor(softAuthenticator({ origin: ORIGIN }).create(options));
    expect(verified).toMatchObject({ sid: factor.sid, status: 'verified', factorType: 'passkeys' });
    const listed = await setup.service.entities(IDENTITY).factors.list();
    expect(listed.map((f) => [f.sid, f.factorType, f.status])).toContainEqual([factor.sid, 'passkeys', 'verified']);
  });

  test('the same attestation a second time, or one for another origin, RP id or challenge, is refused (60311)', async () => {
    const setup = passkeySetup();
    const authenticator = softAuthenticator({ origin: ORIGIN });
    const factor = await setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY, config: CONFIG });
    const options = creationOptions(factor);
    await expectTwilioError(
      setup.api.verifyFactor(authenticator.create(options, { origin: 'https://evil.example' })),
      60311,
      403,
    );
    await expectTwilioError(
      setup.api.verifyFactor(authenticator.create({ ...options, rp: { id: 'evil.example' } })),
      60311,
      403,
    );
    await expectTwilioError(
      setup.api.verifyFactor(
        authenticator.create({ ...options, challenge: Buffer.alloc(32, 1).toString('base64url') }),
      ),
      60311,
      403,
    );
    const good = authenticator.create(options);
    await setup.api.verifyFactor(good);
    await expectTwilioError(setup.api.verifyFactor(good), 60311, 403);
  });

  test('without user verification, a factor that requires it is refused', async () => {
    const setup = passkeySetup();
    const factor = await setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY, config: CONFIG });
    await expectTwilioError(
      setup.api.verifyFactor(
        softAuthenticator({ origin: ORIGIN, userVerified: false }).create(creationOptions(factor)),
      ),
      60311,
      403,
    );
  });

  test('the registration challenge lasts its 10-minute timeout', async () => {
    const setup = passkeySetup();
    const factor = await setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY, config: CONFIG });
    setup.emulator.advanceClock(601);
    await expectTwilioError(
      setup.api.verifyFactor(softAuthenticator({ origin: ORIGIN }).create(creationOptions(factor))),
      60311,
      403,
    );
  });

  test('no relying party (60371) or no criteria (60393) in the request or on the Service', async () => {
    const setup = passkeySetup();
    await expectTwilioError(
      setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY }),
      60393,
      400,
      /authenticator_attachment/,
    );
    await expectTwilioError(
      setup.api.createFactor({
        friendly_name: 'x',
        identity: IDENTITY,
        config: { ...CONFIG, relying_party: { ...CONFIG.relying_party, id: 'shop.example:443' } },
      }),
      60371,
      400,
    );
    await configuredService(setup);
    const factor = await setup.api.createFactor({ friendly_name: 'x', identity: IDENTITY });
    expect(creationOptions(factor)).toMatchObject({ rp: { id: 'shop.example' } });
  });
});

describe('sign-in (Passkeys/Challenges, Passkeys/ApproveChallenge)', () => {
  test('an assertion approves the challenge once; its replay is refused (60322)', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { factor, authenticator } = await registered(setup);
    const challenge = await setup.api.createChallenge({ identity: IDENTITY });
    expect(challenge).toMatchObject({ status: 'pending', factorType: 'passkeys', identity: IDENTITY });
    const options = requestOptions(challenge) as RequestOptions & {
      allowCredentials: { id: string }[];
      userVerification: string;
    };
    expect(options).toMatchObject({ rpId: 'shop.example', userVerification: 'required' });
    expect(options.allowCredentials.map((c) => c.id)).toEqual([authenticator.credentials[0]?.id]);
    const assertion = authenticator.get(options);
    const approved = await setup.api.approveChallenge(assertion);
    expect(approved).toMatchObject({
      sid: challenge.sid,
      status: 'approved',
      factorSid: factor.sid,
      entitySid: factor.entitySid,
    });
    await expectTwilioError(setup.api.approveChallenge(assertion), 60322, 403);
  });

  test('copies of one assertion sent together: one approval, the rest 60322 (the signature check awaits in between)', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { authenticator } = await registered(setup);
    const assertion = authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })));
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => setup.api.approveChallenge(assertion)));
    const codes = answers.map((answer) =>
      answer.status === 'fulfilled' ? answer.value.status : (answer.reason as { code?: number }).code,
    );
    expect(codes.sort()).toEqual([...Array(9).fill(60322), 'approved']);
  });

  test('a discoverable challenge (no identity) is approved by any of the service’s credentials, naming whose', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { factor, authenticator } = await registered(setup);
    const challenge = await setup.api.createChallenge({});
    expect(challenge).toMatchObject({ entitySid: null, identity: null, factorSid: null });
    expect((requestOptions(challenge) as unknown as { allowCredentials: unknown[] }).allowCredentials).toEqual([]);
    const approved = await setup.api.approveChallenge(authenticator.get(requestOptions(challenge)));
    expect(approved).toMatchObject({ status: 'approved', identity: IDENTITY, factorSid: factor.sid });
  });

  test('a wrong origin is refused (60324) and the challenge is spent', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { authenticator } = await registered(setup);
    const challenge = await setup.api.createChallenge({ identity: IDENTITY });
    await expectTwilioError(
      setup.api.approveChallenge(authenticator.get(requestOptions(challenge), { origin: 'https://evil.example' })),
      60324,
      403,
    );
    await expectTwilioError(setup.api.approveChallenge(authenticator.get(requestOptions(challenge))), 60322, 403);
  });

  test('a cloned authenticator (its counter not moving forward) is refused', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { authenticator } = await registered(setup);
    for (let n = 0; n < 3; n += 1)
      await setup.api.approveChallenge(
        authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY }))),
      );
    const clone = authenticator.credentials[0];
    if (!clone) throw new Error('no credential');
    await expectTwilioError(
      setup.api.approveChallenge(
        authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })), {
          credential: clone,
          counter: 2,
        }),
      ),
      60324,
      403,
    );
    await expectTwilioError(
      setup.api.approveChallenge(
        authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })), {
          credential: clone,
          counter: 3,
        }),
      ),
      60324,
      403,
    );
    const next = await setup.api.approveChallenge(
      authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })), {
        credential: clone,
        counter: 4,
      }),
    );
    expect(next.status).toBe('approved');
  });

  test('a challenge for another identity, a missing UV flag, a bad signature or an expired challenge is refused', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { authenticator } = await registered(setup);
    const someoneElse = await setup.api.createChallenge({ identity: 'ffffffff00000000ffffffff00000000' });
    expect((requestOptions(someoneElse) as unknown as { allowCredentials: unknown[] }).allowCredentials).toEqual([]);
    await expectTwilioError(setup.api.approveChallenge(authenticator.get(requestOptions(someoneElse))), 60324, 403);

    const noUv = softAuthenticator({ origin: ORIGIN, userVerified: false });
    const credential = authenticator.credentials[0];
    if (!credential) throw new Error('no credential');
    noUv.credentials.push({ ...credential });
    await expectTwilioError(
      setup.api.approveChallenge(noUv.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })))),
      60324,
      403,
    );

    const tampered = authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })));
    tampered.response.signature = Buffer.from(
      Buffer.from(tampered.response.signature, 'base64url').map((byte, i) => (i === 10 ? byte ^ 1 : byte)),
    ).toString('base64url');
    await expectTwilioError(setup.api.approveChallenge(tampered), 60324, 403);

    const late = await setup.api.createChallenge({ identity: IDENTITY });
    setup.emulator.advanceClock(601);
    await expectTwilioError(setup.api.approveChallenge(authenticator.get(requestOptions(late))), 60323, 403);
  });

  test('a service without passkeys settings (60394); an answer without authenticatorData (60379) or signature (60381)', async () => {
    const setup = passkeySetup();
    await expectTwilioError(setup.api.createChallenge({ identity: IDENTITY }), 60394, 400);
    await configuredService(setup);
    const { authenticator } = await registered(setup);
    const assertion = authenticator.get(requestOptions(await setup.api.createChallenge({ identity: IDENTITY })));
    await expectTwilioError(
      setup.api.approveChallenge({ ...assertion, response: { ...assertion.response, authenticatorData: '' } }),
      60379,
      400,
    );
    await expectTwilioError(
      setup.api.approveChallenge({ ...assertion, response: { ...assertion.response, signature: '' } }),
      60381,
      400,
    );
  });

  test('removing the factor (Entities/…/Factors/{Sid}) removes the passkey: its credential no longer signs in', async () => {
    const setup = passkeySetup();
    await configuredService(setup);
    const { factor, authenticator } = await registered(setup);
    await setup.service.entities(IDENTITY).factors(factor.sid).remove();
    await expectTwilioError(
      setup.api.approveChallenge(authenticator.get(requestOptions(await setup.api.createChallenge({})))),
      60324,
      403,
    );
  });
});
