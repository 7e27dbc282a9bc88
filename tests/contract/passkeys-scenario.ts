/**
 * The Passkeys part of the contract scenario: every Passkeys operation and each of its errors,
 * driven through the real SDK with WebAuthn bytes from the software authenticator, so the
 * recorded answers can be validated against the spec (vendor/twilio-oai).
 */
import type twilio from 'twilio';
import type { Emulator } from '../../emulator';
import { passkeysApi, type PasskeyFactorConfig } from '../../src/verify/passkeys-api';
import { softAuthenticator, type CreationOptions, type RequestOptions } from '../support/soft-authenticator';

type Client = ReturnType<typeof twilio>;

const failing = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    () => undefined,
  );

const ORIGIN = 'https://contract.example';
const CONFIG: PasskeyFactorConfig = {
  relying_party: { id: 'contract.example', name: 'Contract', origins: [ORIGIN] },
  authenticator_attachment: 'any',
  discoverable_credentials: 'required',
  user_verification: 'required',
};

export async function drivePasskeysScenario(client: Client, emulator: Emulator, serviceSid: string): Promise<void> {
  const service = client.verify.v2.services(serviceSid);
  const api = passkeysApi(service);
  const identity = 'feedface00feedface00feedface00fe';
  const authenticator = softAuthenticator({ origin: ORIGIN });
  const creation = (factor: { options: unknown }) => (factor.options as { publicKey: CreationOptions }).publicKey;
  const request = (challenge: { options: unknown }) => (challenge.options as { publicKey: RequestOptions }).publicKey;

  await failing(api.createChallenge({ identity })); // 60394: the service has no passkeys settings yet
  await failing(api.createFactor({ friendly_name: 'Contract', identity })); // 60393
  await failing(
    api.createFactor({
      friendly_name: 'Contract',
      identity,
      config: { ...CONFIG, relying_party: { ...CONFIG.relying_party, id: 'https://contract.example' } },
    }),
  ); // 60371
  await service.update({
    'passkeys.relyingParty.id': 'contract.example',
    'passkeys.relyingParty.name': 'Contract',
    'passkeys.relyingParty.origins': ORIGIN,
    'passkeys.userVerification': 'required',
  });
  const factor = await api.createFactor({ friendly_name: 'Contract: +1******0199', identity, config: CONFIG });
  await failing(api.verifyFactor(authenticator.create(creation(factor), { origin: 'https://evil.example' }))); // 60311
  await api.verifyFactor(authenticator.create(creation(factor)));
  await service.entities(identity).factors.list();
  await service.entities(identity).factors(factor.sid).fetch();

  const challenge = await api.createChallenge({ identity, factor_sid: factor.sid });
  const assertion = authenticator.get(request(challenge));
  await failing(api.approveChallenge({ ...assertion, response: { ...assertion.response, authenticatorData: '' } })); // 60379
  await failing(api.approveChallenge({ ...assertion, response: { ...assertion.response, signature: '' } })); // 60381
  await api.approveChallenge(assertion);
  await failing(api.approveChallenge(assertion)); // 60322
  const discoverable = await api.createChallenge({});
  await failing(api.approveChallenge(authenticator.get(request(discoverable), { origin: 'https://evil.example' }))); // 60324
  const another = await api.createChallenge({});
  await api.approveChallenge(authenticator.get(request(another)));
  const late = await api.createChallenge({ identity });
  emulator.advanceClock(601);
  await failing(api.approveChallenge(authenticator.get(request(late)))); // 60323
  await service.entities(identity).factors(factor.sid).remove();
  await service.entities(identity).remove();
}
