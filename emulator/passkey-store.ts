import type { FactorStatus } from './totp-store';

/** A relying party as a Passkeys Factor's `config` (or the Service's `passkeys`) names it. */
export interface RelyingParty {
  id: string;
  name: string;
  /** Where the page or app asking for the credential runs: web origins or app origins. */
  origins: string[];
}

type AuthenticatorAttachment = 'platform' | 'cross-platform' | 'any';
type Requirement = 'required' | 'preferred' | 'discouraged';

export interface PasskeyConfig {
  relyingParty: RelyingParty;
  authenticatorAttachment: AuthenticatorAttachment;
  discoverableCredentials: Requirement;
  userVerification: Requirement;
}

/** The credential a verified factor holds: what @simplewebauthn/server checks assertions with. */
export interface StoredCredential {
  /** base64url credential id. */
  id: string;
  /** COSE public key. */
  publicKey: Uint8Array;
  /** The authenticator's signature counter as last seen: a later assertion must carry more (0 = it keeps none). */
  counter: number;
  transports: string[];
}

/** A Passkeys Factor: `unverified` with a pending registration challenge, `verified` with a credential. */
export interface PasskeyFactorRecord {
  sid: string;
  serviceSid: string;
  entitySid: string;
  identity: string;
  friendlyName: string;
  status: FactorStatus;
  config: PasskeyConfig;
  /** The creation options' challenge (base64url), until the attestation that answers it verifies the factor. */
  registration: { challenge: string; expiresAt: number } | null;
  credential: StoredCredential | null;
  dateCreated: number;
  dateUpdated: number;
}

/** A Passkeys Challenge: one assertion request, answered once. */
export interface PasskeyChallengeRecord {
  sid: string;
  serviceSid: string;
  /** Null for a discoverable challenge (no `identity`): filled in by the approving credential. */
  entitySid: string | null;
  identity: string | null;
  factorSid: string | null;
  /** base64url: what the assertion's clientDataJSON must carry. */
  challenge: string;
  relyingParty: RelyingParty;
  userVerification: Requirement;
  /** The credentials the assertion may come from (empty: any of the service's, a discoverable one). */
  allowCredentials: { id: string; transports: string[] }[];
  status: 'pending' | 'expired' | 'approved' | 'denied';
  dateCreated: number;
  dateUpdated: number;
  dateResponded: number | null;
  expiresAt: number;
}
