import { z } from 'zod';
import type { RouteContext } from '../context';
import { TwilioApiError, invalidParameter } from '../errors';
import { requireService } from '../lookups';
import { parseJsonObject } from '../request';
import type { Route } from '../router';
import { newSid } from '../sids';
import type { ServiceRecord } from '../store';
import type { PasskeyChallengeRecord, PasskeyConfig, PasskeyFactorRecord, RelyingParty } from '../passkey-store';
import {
  newPasskeyFactorJson,
  passkeyChallengeJson,
  passkeyFactorJson,
  PASSKEY_TIMEOUT_MS,
} from '../passkey-representations';
import { ensureEntity, findEntity, isIdentity } from '../totp-lifecycle';
import { challengeIn, newWebAuthnChallenge, verifyAssertion, verifyAttestation } from '../webauthn';

/**
 * Verify's Passkeys API (/v2/Services/{ServiceSid}/Passkeys/…): JSON bodies in WebAuthn's own
 * shape, unlike the rest of /v2. A factor is created `unverified` with creation options, verified
 * by the attestation that answers its challenge; a challenge is approved once by an assertion
 * of a verified factor's credential. The request names no factor or challenge: the challenge
 * inside clientDataJSON is what finds it, so only the one answer it was issued for can use it.
 */
const requirement = z.enum(['required', 'preferred', 'discouraged']);
const relyingParty = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  origins: z.array(z.string()).optional(),
});
const createFactorBody = z.object({
  friendly_name: z.string().min(1).max(64),
  identity: z.string().refine(isIdentity),
  config: z
    .object({
      relying_party: relyingParty.optional(),
      authenticator_attachment: z.enum(['platform', 'cross-platform', 'any']).optional(),
      discoverable_credentials: requirement.optional(),
      user_verification: requirement.optional(),
    })
    .optional(),
});
const attachment = z.enum(['platform', 'cross-platform']).optional();
const credentialFields = {
  id: z.string().min(1),
  rawId: z.string().optional(),
  authenticatorAttachment: attachment,
  type: z.literal('public-key').optional(),
};
const verifyFactorBody = z.object({
  ...credentialFields,
  response: z.object({
    attestationObject: z.string().min(1),
    clientDataJSON: z.string().min(1),
    transports: z.array(z.string()).optional(),
  }),
});
const createChallengeBody = z.object({
  identity: z.string().optional(),
  factor_sid: z
    .string()
    .regex(/^YF[0-9a-fA-F]{32}$/)
    .optional(),
});
const approveBody = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: z.string().min(1),
    authenticatorData: z.string().optional(),
    signature: z.string().optional(),
    userHandle: z.string().optional(),
  }),
});

/** The JSON body, parsed by `schema`; the first bad member is 60200 naming it (`response.clientDataJSON`). */
function jsonBody<S extends z.ZodType>(context: RouteContext, schema: S): z.output<S> {
  if (!(context.contentType ?? '').includes('application/json')) throw invalidParameter('Content-Type');
  const parsed = parseJsonObject(context.body);
  if (!parsed) throw invalidParameter('body');
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  throw invalidParameter(result.error.issues[0]?.path.join('.') || 'body');
}

const HOST = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?:\.(?!-)[a-z0-9-]{1,63})*$/i;

/** The relying party from the request's config, else the Service's; 60371 when neither gives a whole one. */
function relyingPartyFor(service: ServiceRecord, given: z.output<typeof relyingParty> | undefined): RelyingParty {
  const fallback = service.passkeys.relyingParty;
  const id = given?.id ?? fallback.id;
  const name = given?.name ?? fallback.name;
  const origins = given?.origins ?? fallback.origins;
  if (!id || !HOST.test(id) || !name || !origins || origins.length === 0)
    throw TwilioApiError.of('relyingPartyInvalid');
  return { id, name, origins };
}

function configFor(service: ServiceRecord, body: z.output<typeof createFactorBody>): PasskeyConfig {
  const config = body.config;
  const criteria = {
    authenticator_attachment: config?.authenticator_attachment ?? service.passkeys.authenticatorAttachment,
    discoverable_credentials: config?.discoverable_credentials ?? service.passkeys.discoverableCredentials,
    user_verification: config?.user_verification ?? service.passkeys.userVerification,
  };
  const missing = Object.entries(criteria)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (
    missing.length > 0 ||
    !criteria.authenticator_attachment ||
    !criteria.discoverable_credentials ||
    !criteria.user_verification
  ) {
    throw TwilioApiError.of('authenticatorCriteriaMissing', {
      message: `Authenticator criteria are missing from the request: ${missing.join(', ')}`,
    });
  }
  return {
    relyingParty: relyingPartyFor(service, config?.relying_party),
    authenticatorAttachment: criteria.authenticator_attachment,
    discoverableCredentials: criteria.discoverable_credentials,
    userVerification: criteria.user_verification,
  };
}

const verifiedOf = (context: RouteContext, serviceSid: string, entitySid?: string) =>
  [...context.state.store.totp.passkeyFactors.values()].filter(
    (factor) =>
      factor.serviceSid === serviceSid &&
      factor.status === 'verified' &&
      factor.credential &&
      (entitySid === undefined || factor.entitySid === entitySid),
  );

const credentialsOf = (factors: readonly PasskeyFactorRecord[]) =>
  factors.flatMap((factor) =>
    factor.credential ? [{ id: factor.credential.id, transports: factor.credential.transports }] : [],
  );

export const passkeyRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Passkeys/Factors',
    handle(context) {
      const service = requireService(context);
      const body = jsonBody(context, createFactorBody);
      const config = configFor(service, body);
      const entity = ensureEntity(context, service, body.identity);
      const now = context.state.clock.now();
      const factor: PasskeyFactorRecord = {
        sid: newSid('YF'),
        serviceSid: service.sid,
        entitySid: entity.sid,
        identity: entity.identity,
        friendlyName: body.friendly_name,
        status: 'unverified',
        config,
        registration: { challenge: newWebAuthnChallenge(), expiresAt: now + PASSKEY_TIMEOUT_MS },
        credential: null,
        dateCreated: now,
        dateUpdated: now,
      };
      context.state.store.totp.passkeyFactors.set(factor.sid, factor);
      const exclude = credentialsOf(verifiedOf(context, service.sid, entity.sid));
      return { status: 201, body: newPasskeyFactorJson(factor, context.state.config.accountSid, exclude) };
    },
  },
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Passkeys/VerifyFactor',
    async handle(context) {
      const service = requireService(context);
      const body = jsonBody(context, verifyFactorBody);
      const challenge = challengeIn(body.response.clientDataJSON);
      const now = context.state.clock.now();
      const factor = [...context.state.store.totp.passkeyFactors.values()].find(
        (candidate) =>
          candidate.serviceSid === service.sid &&
          candidate.registration !== null &&
          candidate.registration.challenge === challenge &&
          now < candidate.registration.expiresAt,
      );
      // No factor waits for this challenge: never issued, expired, or already answered.
      if (!factor || challenge === undefined) throw TwilioApiError.of('factorVerificationFailed');
      const credential = await verifyAttestation(factor, body);
      const taken =
        credential !== undefined &&
        [...context.state.store.totp.passkeyFactors.values()].some(
          (other) => other.serviceSid === service.sid && other.credential?.id === credential.id,
        );
      if (!credential || taken) throw TwilioApiError.of('factorVerificationFailed');
      factor.credential = credential;
      factor.registration = null;
      factor.status = 'verified';
      factor.dateUpdated = context.state.clock.now();
      return { status: 200, body: passkeyFactorJson(factor, context.state.config.accountSid) };
    },
  },
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Passkeys/Challenges',
    handle(context) {
      const service = requireService(context);
      const body = jsonBody(context, createChallengeBody);
      const rp = service.passkeys.relyingParty;
      if (!rp.id || !rp.name || !rp.origins?.length) throw TwilioApiError.of('servicePasskeysMissing');
      if (body.identity !== undefined && !isIdentity(body.identity)) throw TwilioApiError.of('invalidEntity');
      // An identity with no passkey gets a challenge nothing can answer (its allowCredentials is
      // empty), not an error: the answer does not tell who has one.
      const entity = body.identity === undefined ? undefined : findEntity(context, service, body.identity);
      let factors = body.identity === undefined ? [] : entity ? verifiedOf(context, service.sid, entity.sid) : [];
      if (body.factor_sid !== undefined) factors = factors.filter((factor) => factor.sid === body.factor_sid);
      const now = context.state.clock.now();
      const challenge: PasskeyChallengeRecord = {
        sid: newSid('YC'),
        serviceSid: service.sid,
        entitySid: entity?.sid ?? null,
        identity: body.identity ?? null,
        factorSid: body.factor_sid ?? null,
        challenge: newWebAuthnChallenge(),
        relyingParty: { id: rp.id, name: rp.name, origins: rp.origins },
        userVerification: service.passkeys.userVerification ?? 'preferred',
        allowCredentials: credentialsOf(factors),
        status: 'pending',
        dateCreated: now,
        dateUpdated: now,
        dateResponded: null,
        expiresAt: now + PASSKEY_TIMEOUT_MS,
      };
      context.state.store.totp.passkeyChallenges.set(challenge.sid, challenge);
      return { status: 201, body: passkeyChallengeJson(challenge, context.state.config.accountSid, 'Challenges') };
    },
  },
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Passkeys/ApproveChallenge',
    async handle(context) {
      const service = requireService(context);
      const body = jsonBody(context, approveBody);
      const { authenticatorData, signature, userHandle } = body.response;
      if (!authenticatorData) throw TwilioApiError.of('authenticatorDataInvalid');
      if (!signature) throw TwilioApiError.of('signatureInvalid');
      const wanted = challengeIn(body.response.clientDataJSON);
      const challenge = [...context.state.store.totp.passkeyChallenges.values()].find(
        (candidate) => candidate.serviceSid === service.sid && candidate.challenge === wanted,
      );
      if (!challenge || wanted === undefined) throw TwilioApiError.of('challengeVerificationFailed');
      const now = context.state.clock.now();
      if (challenge.status === 'pending' && now >= challenge.expiresAt) {
        challenge.status = 'expired';
        challenge.dateUpdated = challenge.expiresAt;
      }
      if (challenge.status === 'expired') throw TwilioApiError.of('challengeExpired');
      // Answered already (approved, or denied by a failed answer): a replay is refused.
      if (challenge.status !== 'pending') throw TwilioApiError.of('challengeResponded');
      // A challenge for an identity takes only that identity's credentials (an identity with no
      // Entity yet: none); a discoverable one any of the service's, whose user handle matches.
      const factor = verifiedOf(context, service.sid).find(
        (candidate) =>
          candidate.credential?.id === body.id &&
          (challenge.identity === null || candidate.identity === challenge.identity) &&
          (challenge.factorSid === null || candidate.sid === challenge.factorSid) &&
          (userHandle === undefined || userHandle === Buffer.from(candidate.entitySid).toString('base64url')),
      );
      const counter = factor
        ? await verifyAssertion(challenge, factor, {
            ...body,
            response: { ...body.response, authenticatorData, signature },
          })
        : undefined;
      // Verifying the signature awaited: a copy of this answer sent alongside may have been
      // approved meanwhile, and Verify answers a challenge once.
      if (challenge.status !== 'pending') throw TwilioApiError.of('challengeResponded');
      challenge.dateUpdated = context.state.clock.now();
      challenge.dateResponded = challenge.dateUpdated;
      if (!factor?.credential || counter === undefined) {
        challenge.status = 'denied';
        throw TwilioApiError.of('challengeVerificationFailed');
      }
      factor.credential.counter = counter;
      challenge.status = 'approved';
      challenge.entitySid = factor.entitySid;
      challenge.identity = factor.identity;
      challenge.factorSid = factor.sid;
      return {
        status: 200,
        body: passkeyChallengeJson(challenge, context.state.config.accountSid, 'ApproveChallenge'),
      };
    },
  },
];
