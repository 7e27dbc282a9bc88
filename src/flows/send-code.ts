import type { VerificationInstance } from 'twilio/lib/rest/verify/v2/service/verification';
import type { Config } from '../config';
import type { Channel } from '../domain/channels';
import type { Destination } from '../domain/destination';
import { reachableChannels } from '../domain/channel-order';
import { rateLimitValues } from '../domain/rate-limits';
import { readAttempts, resendSchedule } from '../domain/resend-schedule';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

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
}

/**
 * The send for a checked destination. Built field by field: `{ ...destination, channel }`
 * takes a slow path in V8 (Node 20), 1–5 µs per call on the hot path of every send.
 */
export function sendRequest(destination: Destination, channel: Channel, options: { locale?: string; clientKey?: string }): SendRequest {
  return { to: destination.to, masked: destination.masked, prefix: destination.prefix, channel, locale: options.locale, clientKey: options.clientKey };
}

/** Where else we could send a code: the caller's number and/or email address. */
export interface Reachability {
  phone?: string;
  email?: string;
}

export interface SentResult {
  ok: true;
  sid: string;
  /** Masked: the caller knows the destination; logs and bystanders need not. */
  to: string;
  /** The channel asked for; which one finally delivered is not disclosed. */
  channel: Channel;
  status: string;
  sendCodeAttempts: number;
  /** Seconds until a resend is allowed. */
  retryAfter: number;
  /** The channel a resend would use, when the fallback order has one we can reach. */
  nextChannel?: Channel;
}

type SendPolicy = Pick<Config, 'rateLimits' | 'whatsappSmsFallback'>;

function errorCode(err: unknown): number | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Asks Verify to send a code. Verify keeps one pending verification (and code) per `to`,
 * so a repeat appends a send attempt. When WhatsApp is refused outright and the fallback is
 * on, the code goes by SMS instead.
 */
export async function sendCode(connection: VerifyConnection, serviceSid: string, request: SendRequest, config: SendPolicy): Promise<VerificationInstance> {
  const rateLimits = config.rateLimits ? rateLimitValues(request.prefix, request.clientKey) : {};
  const create = (channel: Channel) =>
    verifyService(connection, serviceSid).verifications.create({
      to: request.to,
      channel,
      ...(request.locale ? { locale: request.locale } : {}),
      ...(Object.keys(rateLimits).length > 0 ? { rateLimits } : {}),
    });
  try {
    try {
      return await create(request.channel);
    } catch (err) {
      const code = errorCode(err);
      if (request.channel !== 'whatsapp' || !config.whatsappSmsFallback || code === undefined || !WHATSAPP_UNAVAILABLE.has(code)) throw err;
      return await create('sms');
    }
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}

/** The response for a send: what happened plus when and how the next code may go out. */
export function describeSend(
  connection: VerifyConnection,
  verification: VerificationInstance,
  request: Pick<SendRequest, 'masked' | 'channel'>,
  reach: Reachability,
  config: Pick<Config, 'channelFallback' | 'resendCooldowns'>,
): SentResult {
  const attempts = readAttempts(verification.sendCodeAttempts);
  const schedule = resendSchedule(attempts, request.channel, connection.serverNow(), config, reachableChannels(reach));
  return {
    ok: true,
    sid: verification.sid,
    to: request.masked,
    channel: request.channel,
    status: verification.status,
    sendCodeAttempts: Math.max(attempts.length, 1),
    retryAfter: schedule.retryAfter,
    ...(schedule.nextChannel ? { nextChannel: schedule.nextChannel } : {}),
  };
}
