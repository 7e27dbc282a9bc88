/**
 * The emulator's WebAuthn checks, all by @simplewebauthn/server (no COSE, CBOR or signature
 * code of our own): an attestation (navigator.credentials.create()) verifies a Passkeys
 * Factor, an assertion (navigator.credentials.get()) approves a Passkeys Challenge. Each check
 * binds the challenge, the origin (one of the relying party's), the RP id hash, the user
 * presence flag, the user verification flag when the factor requires it, and for assertions
 * the signature over authenticatorData ‖ SHA-256(clientDataJSON) and the signature counter (a
 * counter that does not move forward means a cloned authenticator, refused).
 */
import { randomBytes } from 'node:crypto';
import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
} from '@simplewebauthn/server';
import type { PasskeyChallengeRecord, PasskeyFactorRecord, StoredCredential } from './passkey-store';

/** ES256 and RS256, what Verify's creation options list (`pubKeyCredParams`). */
export const SUPPORTED_ALGORITHMS = [-7, -257] as const;

/** A fresh challenge: 32 bytes from the CSPRNG, base64url (WebAuthn asks for at least 16). */
export const newWebAuthnChallenge = (): string => randomBytes(32).toString('base64url');

/** The `challenge` a clientDataJSON (base64url JSON) carries, or undefined when it is not one. */
export function challengeIn(clientDataJSON: string): string | undefined {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge =
      typeof data === 'object' && data !== null ? (data as { challenge?: unknown }).challenge : undefined;
    return typeof challenge === 'string' && challenge !== '' ? challenge : undefined;
  } catch {
    return undefined;
  }
}

export interface Attestation {
  id: string;
  authenticatorAttachment?: 'platform' | 'cross-platform';
  response: { attestationObject: string; clientDataJSON: string; transports?: string[] };
}

export interface Assertion {
  id: string;
  authenticatorAttachment?: 'platform' | 'cross-platform';
  response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle?: string };
}

/** The credential an attestation registers for `factor`, or undefined when any check fails. */
export async function verifyAttestation(
  factor: PasskeyFactorRecord,
  attestation: Attestation,
): Promise<StoredCredential | undefined> {
  if (!factor.registration) return undefined;
  try {
    const result = await verifyRegistrationResponse({
      response: {
        id: attestation.id,
        rawId: attestation.id,
        type: 'public-key',
        authenticatorAttachment: attestation.authenticatorAttachment,
        clientExtensionResults: {},
        response: {
          attestationObject: attestation.response.attestationObject,
          clientDataJSON: attestation.response.clientDataJSON,
          transports: attestation.response.transports as AuthenticatorTransportFuture[] | undefined,
        },
      },
      expectedChallenge: factor.registration.challenge,
      expectedOrigin: factor.config.relyingParty.origins,
      expectedRPID: factor.config.relyingParty.id,
      requireUserPresence: true,
      requireUserVerification: factor.config.userVerification === 'required',
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHMS],
    });
    if (!result.verified) return undefined;
    const { credential } = result.registrationInfo;
    return {
      id: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: attestation.response.transports ?? [],
    };
  } catch {
    return undefined;
  }
}

/** The new signature counter when `assertion` answers `challenge` with `factor`'s credential, else undefined. */
export async function verifyAssertion(
  challenge: PasskeyChallengeRecord,
  factor: PasskeyFactorRecord,
  assertion: Assertion,
): Promise<number | undefined> {
  const credential = factor.credential;
  if (!credential) return undefined;
  try {
    const result = await verifyAuthenticationResponse({
      response: {
        id: assertion.id,
        rawId: assertion.id,
        type: 'public-key',
        authenticatorAttachment: assertion.authenticatorAttachment,
        clientExtensionResults: {},
        response: assertion.response,
      },
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.relyingParty.origins,
      expectedRPID: challenge.relyingParty.id,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: challenge.userVerification === 'required',
    });
    return result.verified ? result.authenticationInfo.newCounter : undefined;
  } catch {
    // Wrong origin, RP id, challenge or signature; a counter that did not move forward; a missing UV flag.
    return undefined;
  }
}
