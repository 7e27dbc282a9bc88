import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import type { Channel } from '../domain/channels';
import { resolveDestination, type Destination } from '../domain/destination';
import type { DestinationPolicy } from '../domain/destination-policy';
import { AppError } from '../domain/app-error';
import { heldRefusal } from '../domain/send-record';
import { rateLimitValues } from '../domain/rate-limits';
import {
  cooldownRemaining,
  reachableChannels,
  readAttempts,
  resendSchedule,
  type Reachability,
} from '../domain/send-schedule';
import { mapVerifyError } from '../verify/map-verify-error';
import { REACHED_RATE_LIMIT_HEADER, withReachedRateLimit } from '../verify/reached-rate-limit';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import type { StateStore } from '../state/state-store';
import { CODE_WINDOW_MS, issueHandle, windowEnd } from './handles';
import { withLockoutWait } from './lockout';
import {
  assertSharedLimitsOpen,
  claimSend,
  destinationWait,
  recordSharedLimit,
  releaseSend,
  type SendClaim,
} from './send-lock';
import type * as z from 'zod/mini';
import type { sentResponse } from '../contract/responses';

/** Verify's answers when WhatsApp cannot be used at all for this service or account. */
const WHATSAPP_UNAVAILABLE = new Set([60223, 68008]);

export interface SendRequest {
  /** E.164 or email address, already checked against policy. */
  to: string;
  masked: string;
  prefix?: string;
  channel: Channel;
  locale?: string;
  clientKey?: string;
  /** Android SMS Retriever hash: Verify appends it to SMS bodies. */
  appHash?: string;
}

/** The send for a checked destination: what Verify is asked, and how the log names it. */
export function sendRequest(
  destination: Destination,
  channel: Channel,
  options: { locale?: string; clientKey?: string; appHash?: string },
): SendRequest {
  return {
    to: destination.to,
    masked: destination.masked,
    prefix: destination.prefix,
    channel,
    locale: options.locale,
    clientKey: options.clientKey,
    appHash: options.appHash,
  };
}

/**
 * Other destinations the caller offered at start for later resends, checked like `to`: a
 * `phone` outside the allowed countries or of a type refused for every channel is refused now
 * (field `phone`), not when a resend reaches it. It is checked as for a call, the most
 * permissive phone channel; refusals that depend on the channel (a landline for SMS) still
 * come at the resend.
 */
export function fallbackReach(
  input: { phone?: string; email?: string; country?: string },
  policy?: DestinationPolicy,
): Reachability {
  const phone =
    input.phone !== undefined ? resolveDestination(input.phone, 'call', input.country, policy, 'phone') : undefined;
  return {
    phone: phone?.to,
    phoneFacts: phone?.phoneFacts,
    email:
      input.email !== undefined
        ? resolveDestination(input.email, 'email', undefined, undefined, 'email').to
        : undefined,
  };
}

/** What /start-verify and /resend-verify answer (src/contract/responses.ts). */
export type SentResult = z.output<ReturnType<typeof sentResponse>>;

type SendPolicy = Pick<Config, 'rateLimits' | 'whatsappSmsFallback' | 'channelFallback' | 'resendCooldowns'>;

function errorCode(err: unknown): number | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Asks Verify to send a code. Verify keeps one pending verification (and code) per `to`,
 * so a repeat appends a send attempt. When WhatsApp is refused outright and the fallback is
 * on, the code goes by SMS instead.
 */
async function sendCode(
  connection: VerifyConnection,
  serviceSid: string,
  request: SendRequest,
  config: SendPolicy,
  windowEndsAt?: number,
): Promise<VerificationInstance> {
  const rateLimits = config.rateLimits ? rateLimitValues(request.to, request.prefix, request.clientKey) : {};
  const create = (channel: Channel) =>
    verifyService(connection, serviceSid).verifications.create({
      to: request.to,
      channel,
      ...(request.locale ? { locale: request.locale } : {}),
      // Verify appends it to SMS bodies only; the WhatsApp → SMS fallback gets it too.
      ...(request.appHash && channel === 'sms' ? { appHash: request.appHash } : {}),
      ...(Object.keys(rateLimits).length > 0 ? { rateLimits } : {}),
    });
  try {
    try {
      return await create(request.channel);
    } catch (err) {
      const code = errorCode(err);
      if (
        request.channel !== 'whatsapp' ||
        !config.whatsappSmsFallback ||
        code === undefined ||
        !WHATSAPP_UNAVAILABLE.has(code)
      )
        throw err;
      return await create('sms');
    }
  } catch (err) {
    const reached = connection.lastHeader(REACHED_RATE_LIMIT_HEADER);
    const error = mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
    throw withLockoutWait(await withReachedRateLimit(error, connection, serviceSid, reached), connection, windowEndsAt);
  }
}

/**
 * Sends a code under the destination's claim in the store (see claimSend), given back when Verify
 * refuses the send. `replace`: a pending verification this send must not join (someone else's,
 * or an earlier caller's) is cancelled first, so the new code has its own window. A send Verify
 * did not confirm gives the claim back.
 */
export async function sendClaimedCode(
  connection: VerifyConnection,
  store: StateStore,
  serviceSid: string,
  request: SendRequest,
  config: Config,
  options: { replace?: VerificationInstance; early?: boolean; windowEndsAt?: number } = {},
): Promise<{ verification: VerificationInstance; nextWait: number }> {
  const replacing = options.replace?.status === 'pending' ? options.replace : undefined;
  // A refusal already known for a limit this send shares with other destinations comes first:
  // the person's pending code is never cancelled for a send that cannot go.
  if (replacing) await assertSharedLimitsOpen(store, config, request, connection.serverNow());
  const claim = await claimSend(store, config, request.to, connection.serverNow(), options.early);
  try {
    if (replacing) await cancelForReplacement(connection, serviceSid, replacing.sid);
    return {
      verification: await sendCode(
        connection,
        serviceSid,
        request,
        config,
        options.windowEndsAt ?? lockedWindowBound(claim, connection.serverNow()),
      ),
      nextWait: claim.nextWait,
    };
  } catch (err) {
    const now = connection.serverNow();
    await Promise.all([releaseSend(store, claim, err, now), recordSharedLimit(store, config, err, request, now)]);
    throw err;
  }
}

// A send's claim is taken before Verify opens its verification, within one request's
// deadline (8.5 s, src/http/define-route.ts) and a second of Date-header rounding.
const CLAIM_TO_VERIFY_MS = 10_000;

/**
 * When a start meets Verify's 60202, some verification to the destination is locked until its
 * window ends. Only a send opens one (a resend joins it), so it ends at the latest recorded send
 * plus a window: without that bound, a start in the last second of a lockout would state, and
 * keep, a fresh 10 minutes. A send the record does not hold (another app on the Service) leaves
 * the full window.
 */
function lockedWindowBound(claim: SendClaim, now: number): number | undefined {
  if (claim.previousSend === undefined) return undefined;
  const end = claim.previousSend + CODE_WINDOW_MS + CLAIM_TO_VERIFY_MS;
  return end > now ? end : undefined;
}

/**
 * A start (or a fallback to another destination): a new code with its own window, replacing
 * whatever was pending for the destination. A verification opened by someone else's send since
 * this one looked (one racing an approval, which forgets the destination's sends) makes Verify
 * resend their code instead: sharing it would hand this caller a handle to their code, so this
 * send is refused as it would be one after the other (resend_too_soon; it still counts).
 */
export async function sendFreshCode(
  connection: VerifyConnection,
  store: StateStore,
  serviceSid: string,
  request: SendRequest,
  config: Config,
  pending: VerificationInstance | undefined,
): Promise<{ verification: VerificationInstance; nextWait: number }> {
  const sent = await sendClaimedCode(connection, store, serviceSid, request, config, { replace: pending });
  const { verification, nextWait } = sent;
  if (verification.sid !== pending?.sid && readAttempts(verification.sendCodeAttempts).length > 1)
    throw await tooSoon(connection, store, config, request.to, nextWait);
  return sent;
}

async function cancelForReplacement(connection: VerifyConnection, serviceSid: string, sid: string): Promise<void> {
  try {
    await verifyService(connection, serviceSid).verifications(sid).update({ status: 'canceled' });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    // Gone meanwhile (approved, expired): nothing to replace.
    if (error.code !== 'verification_not_found') throw error;
  }
}

/**
 * The verification pending for a destination, if any. Verify accepts the `To` in place of the
 * SID, and keeps one pending verification per `To`: every send to it, whoever asks, appends
 * to that one's attempts, so its attempts are the destination's send schedule.
 */
export async function findPending(
  connection: VerifyConnection,
  serviceSid: string,
  to: string,
): Promise<VerificationInstance | undefined> {
  try {
    return await verifyService(connection, serviceSid).verifications(to).fetch();
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
    if (error.code === 'verification_not_found') return undefined;
    throw error;
  }
}

/**
 * Refuses a send while the destination's cooldown runs (429 resend_too_soon), measured from
 * Verify's own attempts on Verify's clock, with the wait the destination's record enforces when
 * that is longer (see tooSoon). Returns how many attempts there were, so a new caller's handle
 * counts only its own sends.
 */
export async function assertCooldownOver(
  connection: VerifyConnection,
  store: StateStore,
  pending: VerificationInstance | undefined,
  config: Config,
): Promise<number> {
  if (!pending) return 0;
  const attempts = readAttempts(pending.sendCodeAttempts);
  const retryAfter = cooldownRemaining(attempts, connection.serverNow(), config.resendCooldowns);
  if (retryAfter > 0) throw await tooSoon(connection, store, config, pending.to, retryAfter);
  return attempts.length;
}

/**
 * The refusal of a send that Verify's attempts of one verification call too soon, with the wait
 * of the whole schedule: the destination's record also counts sends of earlier verifications and
 * lockouts, and it is what the claim enforces once this wait is over, so the answer never says
 * "in 5 s" to refuse again then. The record's own refusal (a block, the cap) wins.
 */
export async function tooSoon(
  connection: VerifyConnection,
  store: StateStore,
  config: Config,
  destination: string,
  retryAfter: number,
): Promise<AppError> {
  const now = connection.serverNow();
  const { wait, record } = await destinationWait(store, config, destination, now);
  return (
    heldRefusal(record, now, config.resendCooldowns) ??
    new AppError('resend_too_soon', { retryAfter: Math.max(retryAfter, wait) })
  );
}

/** The attempt count to hide from this caller: the sends before theirs, if Verify kept the same verification. */
export function attemptOffset(
  sent: VerificationInstance,
  pending: VerificationInstance | undefined,
  before: number,
): number {
  if (pending && pending.sid === sent.sid) return before;
  // A new verification (none was pending, or it ended meanwhile) that this send opened
  // (sendFreshCode refuses one it did not open): everything in it is ours.
  return Math.max(0, readAttempts(sent.sendCodeAttempts).length - 1);
}

/** The response for a send: the handle, what happened, and when and how the next code may go out. */
export function describeSend(
  connection: VerifyConnection,
  serviceSid: string,
  verification: VerificationInstance,
  request: Pick<SendRequest, 'to' | 'masked' | 'channel'>,
  reach: Reachability,
  offset: number,
  config: Pick<Config, 'channelFallback' | 'resendCooldowns' | 'signingSecret' | 'authToken'>,
  /** The destination's own wait from the store, which also counts sends of earlier verifications. */
  destinationWait = 0,
): SentResult {
  const attempts = readAttempts(verification.sendCodeAttempts);
  const now = connection.serverNow();
  const schedule = resendSchedule(attempts, request.channel, now, config, reachableChannels(reach));
  const handle = issueHandle(
    config,
    serviceSid,
    verification,
    {
      to: request.to,
      channel: request.channel,
      phone: reach.phone,
      phoneFacts: reach.phoneFacts,
      email: reach.email,
      attemptOffset: offset,
      knownAttempts: Math.max(attempts.length, offset + 1),
    },
    now,
  );
  return {
    ok: true,
    verification: handle,
    to: request.masked,
    channel: request.channel,
    status: verification.status,
    sendCodeAttempts: Math.max(attempts.length - offset, 1),
    retryAfter: Math.max(schedule.retryAfter, destinationWait),
    expiresIn: Math.max(0, Math.ceil((windowEnd(verification, now) - now) / 1000)),
    ...(schedule.nextChannel ? { nextChannel: schedule.nextChannel } : {}),
  };
}
