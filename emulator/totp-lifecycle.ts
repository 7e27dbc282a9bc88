import type { RouteContext } from './context';
import { TwilioApiError, invalidParameter, notFound } from './errors';
import { requireService } from './lookups';
import { newSid } from './sids';
import type { ServiceRecord } from './store';
import { totpAt, totpMatches, timeCounter } from './totp';
import { entityKey, type ChallengeRecord, type EntityRecord, type FactorRecord } from './totp-store';

/**
 * The Factors API's rules for TOTP (docs/verify-facts.md, "TOTP: the Factors API", and Twilio's error pages):
 * - Identity: 8–64 dash-separated letters and digits (the spec's wording), else 60366.
 * - Factor verification: a wrong code answers 200 `unverified` (Verify's behaviour since
 *   October 2021); after 5 wrong ones every attempt answers 60310. An AuthPayload that cannot
 *   be a code of this factor (not `code_length` digits) is 60311.
 * - Challenges: only for verified factors (60318); 5 minutes by default, at most 60; a wrong
 *   code leaves them `pending`, and after 5 wrong ones they answer 60308; answering an
 *   approved one is 60322, an expired one 60323.
 * - Creation limits per factor (60312): code length ≥ 5: 50 per hour and 100 per 24 hours;
 *   code length ≤ 4: 10 per 24 hours.
 */
const MAX_WRONG_FACTOR_VERIFICATIONS = 5;
const MAX_WRONG_CHALLENGE_ATTEMPTS = 5;
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_CHALLENGE_TTL_MS = 60 * 60_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const IDENTITY = /^(?=.{8,64}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

export function identityFrom(context: RouteContext): string {
  const identity = context.params['Identity'] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(identity);
  } catch {
    throw TwilioApiError.of('invalidEntity');
  }
  if (!IDENTITY.test(decoded)) throw TwilioApiError.of('invalidEntity');
  return decoded;
}

export function isIdentity(value: string): boolean {
  return IDENTITY.test(value);
}

export function findEntity(context: RouteContext, service: ServiceRecord, identity: string): EntityRecord | undefined {
  return context.state.store.totp.entities.get(entityKey(service.sid, identity));
}

export function requireEntity(context: RouteContext): { service: ServiceRecord; entity: EntityRecord } {
  const service = requireService(context);
  const entity = findEntity(context, service, identityFrom(context));
  if (!entity) throw notFound(context.resourcePath);
  return { service, entity };
}

/** The entity, created on first use: a Factor created for a new Identity creates its Entity, as on Verify. */
export function ensureEntity(context: RouteContext, service: ServiceRecord, identity: string): EntityRecord {
  const existing = findEntity(context, service, identity);
  if (existing) return existing;
  const now = context.state.clock.now();
  const entity: EntityRecord = {
    sid: newSid('YE'),
    serviceSid: service.sid,
    identity,
    dateCreated: now,
    dateUpdated: now,
  };
  context.state.store.totp.entities.set(entityKey(service.sid, identity), entity);
  return entity;
}

export function requireFactor(context: RouteContext, entity: EntityRecord, sid: string | undefined): FactorRecord {
  const factor = context.state.store.totp.factors.get(sid ?? '');
  if (!factor || factor.entitySid !== entity.sid) throw notFound(context.resourcePath);
  return factor;
}

/** Expiry is derived from the clock whenever a challenge is looked at. */
export function refreshChallenge(challenge: ChallengeRecord, now: number): ChallengeRecord {
  if (challenge.status === 'pending' && now >= challenge.expiresAt) {
    challenge.status = 'expired';
    challenge.dateUpdated = challenge.expiresAt;
  }
  return challenge;
}

export function requireChallenge(context: RouteContext, entity: EntityRecord): ChallengeRecord {
  const challenge = context.state.store.totp.challenges.get(context.params['Sid'] ?? '');
  if (!challenge || challenge.entitySid !== entity.sid) throw notFound(context.resourcePath);
  return refreshChallenge(challenge, context.state.clock.now());
}

/**
 * A code is right for the emulator clock's time step or for the wall clock's: a real
 * authenticator app knows only wall time, so moving the emulator clock (to expire codes, to
 * pass a cooldown) must not turn its codes wrong. Both are always compared (constant time).
 */
function codeMatches(factor: FactorRecord, authPayload: string, now: number, wallNow: number): boolean {
  const byEmulatorClock = totpMatches(factor.key, authPayload, now, factor.config);
  const byWallClock = wallNow !== now && totpMatches(factor.key, authPayload, wallNow, factor.config);
  return byEmulatorClock || byWallClock;
}

/** Enrolment: a right code verifies the factor; wrong ones are counted (see above). */
export function verifyFactor(factor: FactorRecord, authPayload: string, now: number, wallNow = now): void {
  if (factor.status === 'verified') return;
  if (factor.wrongVerifications >= MAX_WRONG_FACTOR_VERIFICATIONS) throw TwilioApiError.of('maxFactorAttempts');
  if (!new RegExp(`^\\d{${factor.config.codeLength}}$`).test(authPayload))
    throw TwilioApiError.of('factorVerificationFailed');
  if (codeMatches(factor, authPayload, now, wallNow)) {
    factor.status = 'verified';
  } else {
    factor.wrongVerifications += 1;
  }
}

/** Throws 60312 when this factor has had as many challenges as Verify allows in the window. */
export function meterChallengeCreation(factor: FactorRecord, now: number): void {
  factor.challengeTimes = factor.challengeTimes.filter((time) => now - time < DAY_MS);
  const lastDay = factor.challengeTimes.length;
  const lastHour = factor.challengeTimes.filter((time) => now - time < HOUR_MS).length;
  const overLimit = factor.config.codeLength >= 5 ? lastHour >= 50 || lastDay >= 100 : lastDay >= 10;
  if (overLimit) throw TwilioApiError.of('maxChallenges');
  factor.challengeTimes.push(now);
}

/** AuthPayload on a challenge: 3–8 characters (the spec), else 60200. */
export function checkAuthPayloadShape(authPayload: string): void {
  if (authPayload.length < 3 || authPayload.length > 8) throw invalidParameter('AuthPayload');
}

/** A code given to a pending challenge: approved, or one more wrong attempt. */
export function respondToChallenge(
  challenge: ChallengeRecord,
  factor: FactorRecord,
  authPayload: string,
  now: number,
  wallNow = now,
): void {
  if (challenge.status === 'approved' || challenge.status === 'denied') throw TwilioApiError.of('challengeResponded');
  if (challenge.status === 'expired') throw TwilioApiError.of('challengeExpired');
  if (challenge.wrongAttempts >= MAX_WRONG_CHALLENGE_ATTEMPTS) throw TwilioApiError.of('maxChallengeAttempts');
  if (codeMatches(factor, authPayload, now, wallNow)) {
    challenge.status = 'approved';
    challenge.dateResponded = now;
  } else {
    challenge.wrongAttempts += 1;
  }
  challenge.dateUpdated = now;
}

/** What the inbox shows for a factor: its current code and how long that code lasts. */
export function currentCode(factor: FactorRecord, now: number): { code: string; secondsLeft: number } {
  const stepMs = factor.config.timeStep * 1000;
  const nextStepAt = (timeCounter(now, factor.config.timeStep) + 1) * stepMs;
  return { code: totpAt(factor.key, now, factor.config), secondsLeft: Math.ceil((nextStepAt - now) / 1000) };
}
