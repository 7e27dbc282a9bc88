import type { ServiceContext } from 'twilio/lib/rest/verify/v2/service';
import type { CreateNewPasskeysFactorRequest } from 'twilio/lib/rest/verify/v2/service/newFactor';
import type { VerifyPasskeysFactorRequest } from 'twilio/lib/rest/verify/v2/service/newVerifyFactor';
import type { CreatePasskeysChallengeRequest } from 'twilio/lib/rest/verify/v2/service/newChallenge';
import type { ApprovePasskeysChallengeRequest } from 'twilio/lib/rest/verify/v2/service/approveChallenge';

/**
 * Verify's Passkeys endpoints through the real SDK (twilio-node 6: `newFactors`,
 * `newVerifyFactors`, `newChallenge()`, `approveChallenge`). The SDK sends the object it is
 * given as the JSON body, unchanged, while its request classes name the members in camelCase
 * (`friendlyName`, `relyingParty`, `factorSid`): the wire, the spec and Twilio's docs use
 * snake_case (`friendly_name`, `relying_party`, `factor_sid`) for these members, and WebAuthn's
 * own camelCase for the credential (`rawId`, `clientDataJSON`). The bodies are typed here in
 * the wire's names and handed over as the SDK's types in this one place.
 */
interface PasskeyRelyingParty {
  id: string;
  name: string;
  origins: string[];
}

export interface PasskeyFactorConfig {
  relying_party: PasskeyRelyingParty;
  authenticator_attachment: 'platform' | 'cross-platform' | 'any';
  discoverable_credentials: 'required' | 'preferred' | 'discouraged';
  user_verification: 'required' | 'preferred' | 'discouraged';
}

/** A `PublicKeyCredential` from `navigator.credentials.create()`, as JSON (toJSON()). */
export interface AttestationCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment?: 'platform' | 'cross-platform';
  response: { attestationObject: string; clientDataJSON: string; transports?: string[] };
}

/** A `PublicKeyCredential` from `navigator.credentials.get()`, as JSON. */
export interface AssertionCredential {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform' | 'cross-platform';
  response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle?: string };
}

export function passkeysApi(service: ServiceContext) {
  return {
    createFactor: (body: { friendly_name: string; identity: string; config?: PasskeyFactorConfig }) =>
      service.newFactors.create(body as unknown as CreateNewPasskeysFactorRequest),
    verifyFactor: (credential: AttestationCredential) =>
      service.newVerifyFactors.update(credential as unknown as VerifyPasskeysFactorRequest),
    createChallenge: (body: { identity?: string; factor_sid?: string }) =>
      service.newChallenge().create(body as unknown as CreatePasskeysChallengeRequest),
    approveChallenge: (credential: AssertionCredential) =>
      service.approveChallenge.update(credential as unknown as ApprovePasskeysChallengeRequest),
  };
}
