import { z } from 'zod';
import type { RouteContext } from '../context';
import { TwilioApiError, invalidParameter } from '../errors';
import { listPage } from '../pagination';
import { formJsonObject, parseParams } from '../params';
import type { Route } from '../router';
import { newSid } from '../sids';
import { challengeJson } from '../totp-representations';
import {
  checkAuthPayloadShape,
  DEFAULT_CHALLENGE_TTL_MS,
  MAX_CHALLENGE_TTL_MS,
  meterChallengeCreation,
  refreshChallenge,
  requireChallenge,
  requireEntity,
  requireFactor,
  respondToChallenge,
} from '../totp-lifecycle';
import type { ChallengeRecord } from '../totp-store';
import { updateRoute } from './crud';

const createParams = z.object({
  FactorSid: z.string().regex(/^YF[0-9a-fA-F]{32}$/),
  ExpirationDate: z.string().optional(),
  AuthPayload: z.string().optional(),
  HiddenDetails: formJsonObject.optional(),
  'Details.Message': z.string().max(256).optional(),
});

const listParams = z.object({
  FactorSid: z.string().optional(),
  Status: z.enum(['pending', 'expired', 'approved', 'denied']).optional(),
  Order: z.enum(['asc', 'desc']).optional(),
});

const render = (context: RouteContext) => (challenge: ChallengeRecord) =>
  challengeJson(challenge, context.state.config.accountSid);

/** When the challenge stops accepting codes: 5 minutes by default, at most 60 (the spec). */
function expiryFrom(expirationDate: string | undefined, now: number): number {
  if (expirationDate === undefined) return now + DEFAULT_CHALLENGE_TTL_MS;
  const at = Date.parse(expirationDate);
  if (!Number.isFinite(at) || at <= now || at > now + MAX_CHALLENGE_TTL_MS) throw invalidParameter('ExpirationDate');
  return at;
}

/** Challenges: sign-in with a verified TOTP factor, the code given on creation or in an update. */
export const challengeRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Entities/:Identity/Challenges',
    handle(context) {
      const { service, entity } = requireEntity(context);
      const params = parseParams(createParams, context.form);
      const factor = requireFactor(context, entity, params.FactorSid);
      if (factor.status !== 'verified') throw TwilioApiError.of('factorUnverified');
      if (params.AuthPayload !== undefined) checkAuthPayloadShape(params.AuthPayload);
      const now = context.state.clock.now();
      const expiresAt = expiryFrom(params.ExpirationDate, now);
      meterChallengeCreation(factor, now);
      const challenge: ChallengeRecord = {
        sid: newSid('YC'),
        serviceSid: service.sid,
        entitySid: entity.sid,
        identity: entity.identity,
        factorSid: factor.sid,
        status: 'pending',
        wrongAttempts: 0,
        hiddenDetails: params.HiddenDetails ?? null,
        dateCreated: now,
        dateUpdated: now,
        dateResponded: null,
        expiresAt,
      };
      context.state.store.totp.challenges.set(challenge.sid, challenge);
      if (params.AuthPayload !== undefined)
        respondToChallenge(challenge, factor, params.AuthPayload, now, context.state.clock.wallNow());
      return { status: 201, body: render(context)(challenge) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Entities/:Identity/Challenges',
    handle(context) {
      const { entity } = requireEntity(context);
      const filter = parseParams(listParams, Object.fromEntries(context.query));
      const now = context.state.clock.now();
      const challenges = [...context.state.store.totp.challenges.values()]
        .filter((challenge) => challenge.entitySid === entity.sid)
        .map((challenge) => refreshChallenge(challenge, now))
        .filter((challenge) => (filter.FactorSid ? challenge.factorSid === filter.FactorSid : true))
        .filter((challenge) => (filter.Status ? challenge.status === filter.Status : true));
      if (filter.Order === 'desc') challenges.reverse();
      return listPage(context, 'challenges', challenges, render(context));
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Entities/:Identity/Challenges/:Sid',
    handle: (context) => ({
      status: 200,
      body: render(context)(requireChallenge(context, requireEntity(context).entity)),
    }),
  },
  updateRoute(
    '/v2/Services/:ServiceSid/Entities/:Identity/Challenges/:Sid',
    (context) => requireChallenge(context, requireEntity(context).entity),
    (challenge, context) => {
      const params = parseParams(z.object({ AuthPayload: z.string() }), context.form);
      checkAuthPayloadShape(params.AuthPayload);
      const factor = context.state.store.totp.factors.get(challenge.factorSid);
      if (!factor) throw TwilioApiError.of('notFound');
      respondToChallenge(
        challenge,
        factor,
        params.AuthPayload,
        context.state.clock.now(),
        context.state.clock.wallNow(),
      );
    },
    render,
  ),
];
