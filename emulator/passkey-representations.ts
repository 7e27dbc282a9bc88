import { toTwilioDate } from './clock';
import { serviceUrl } from './representations';
import type { PasskeyChallengeRecord, PasskeyConfig, PasskeyFactorRecord } from './passkey-store';
import { entityUrl } from './totp-representations';
import { SUPPORTED_ALGORITHMS } from './webauthn';

/**
 * The Passkeys JSON, every property of the spec's response schemas in their order
 * (CreateNewFactorPasskey, UpdatePasskeysFactor, CreateChallengePasskeys, UpdateChallengePasskeys).
 * `options.publicKey` is WebAuthn's own JSON (PublicKeyCredentialCreationOptionsJSON for a new
 * factor, PublicKeyCredentialRequestOptionsJSON for a challenge), what a browser or a platform
 * SDK takes as it is. It appears only in the creation answers, as on Verify.
 */

/** How long a browser may take to answer (10 minutes, Verify's `timeout`); the challenge lives as long. */
export const PASSKEY_TIMEOUT_MS = 600_000;

const dateOrNull = (ms: number | null) => (ms === null ? null : toTwilioDate(ms));

function passkeyConfigJson(config: PasskeyConfig) {
  return {
    relying_party: { id: config.relyingParty.id, name: config.relyingParty.name, origins: config.relyingParty.origins },
    authenticator_attachment: config.authenticatorAttachment,
    discoverable_credentials: config.discoverableCredentials,
    user_verification: config.userVerification,
  };
}

const factorUrl = (factor: PasskeyFactorRecord) =>
  `${entityUrl(factor.serviceSid, factor.identity)}/Factors/${factor.sid}`;

/** A Passkeys Factor as Fetch/List Factor and VerifyFactor answer it. */
export function passkeyFactorJson(factor: PasskeyFactorRecord, accountSid: string) {
  return {
    sid: factor.sid,
    account_sid: accountSid,
    service_sid: factor.serviceSid,
    entity_sid: factor.entitySid,
    identity: factor.identity,
    date_created: toTwilioDate(factor.dateCreated),
    date_updated: toTwilioDate(factor.dateUpdated),
    friendly_name: factor.friendlyName,
    status: factor.status,
    factor_type: 'passkeys',
    config: passkeyConfigJson(factor.config),
    metadata: null,
    url: factorUrl(factor),
  };
}

/** The creation answer: the factor with the options `navigator.credentials.create({ publicKey })` takes. */
export function newPasskeyFactorJson(
  factor: PasskeyFactorRecord,
  accountSid: string,
  exclude: readonly { id: string; transports: string[] }[],
) {
  const { sid, account_sid, service_sid, entity_sid, identity, ...rest } = passkeyFactorJson(factor, accountSid);
  const { config } = factor;
  return {
    sid,
    account_sid,
    service_sid,
    entity_sid,
    identity,
    binding: null,
    options: {
      publicKey: {
        rp: { id: config.relyingParty.id, name: config.relyingParty.name },
        // Verify's user handle is the Entity SID, base64url (ApproveChallenge's `userHandle`).
        user: {
          id: Buffer.from(factor.entitySid).toString('base64url'),
          name: factor.friendlyName,
          displayName: factor.friendlyName,
        },
        challenge: factor.registration?.challenge ?? '',
        pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
        timeout: PASSKEY_TIMEOUT_MS,
        excludeCredentials: exclude.map((credential) => ({
          id: credential.id,
          type: 'public-key',
          transports: credential.transports,
        })),
        authenticatorSelection: {
          ...(config.authenticatorAttachment === 'any'
            ? {}
            : { authenticatorAttachment: config.authenticatorAttachment }),
          requireResidentKey: config.discoverableCredentials === 'required',
          residentKey: config.discoverableCredentials,
          userVerification: config.userVerification,
        },
        attestation: 'none',
      },
    },
    ...rest,
  };
}

/** A Passkeys Challenge; `withOptions` on creation (what `navigator.credentials.get({ publicKey })` takes). */
export function passkeyChallengeJson(
  challenge: PasskeyChallengeRecord,
  accountSid: string,
  path: 'Challenges' | 'ApproveChallenge',
) {
  return {
    sid: challenge.sid,
    account_sid: accountSid,
    service_sid: challenge.serviceSid,
    entity_sid: challenge.entitySid,
    identity: challenge.identity,
    factor_sid: challenge.factorSid,
    date_created: toTwilioDate(challenge.dateCreated),
    date_updated: toTwilioDate(challenge.dateUpdated),
    date_responded: dateOrNull(challenge.dateResponded),
    expiration_date: toTwilioDate(challenge.expiresAt),
    status: challenge.status,
    responded_reason: 'none',
    details: null,
    hidden_details: null,
    metadata: null,
    factor_type: 'passkeys',
    url: `${serviceUrl(challenge.serviceSid)}/Passkeys/${path}`,
    links: null,
    options: {
      publicKey: {
        challenge: challenge.challenge,
        timeout: PASSKEY_TIMEOUT_MS,
        rpId: challenge.relyingParty.id,
        allowCredentials: challenge.allowCredentials.map((credential) => ({
          id: credential.id,
          type: 'public-key',
          transports: credential.transports,
        })),
        userVerification: challenge.userVerification,
      },
    },
  };
}
