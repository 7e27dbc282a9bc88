import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { toTwilioDate } from './clock';
import type { EmulatorState } from './context';
import { VERIFY_BASE_URL } from './defaults';
import type { AttemptRecord, VerificationRecord } from './store';
import type { Channel, DeliveryOutcome } from './types';
import { ATTEMPT_CHANNEL_NAMES, ATTEMPT_CHANNELS, type AttemptChannel } from '../twilio-facts/verify-channels';

/**
 * Verification Attempts (https://www.twilio.com/docs/verify/api/attempts): one record per
 * send of a code, listed for the last 30 days with its channel data (delivery status of the
 * message or call) and conversion status (whether the person entered the right code).
 *
 * Conversion is credited to the verification's latest send only: its code is the one the
 * person had in hand when they succeeded, and a failed SMS followed by a call that converts
 * should read as one unconverted SMS and one converted call.
 */
export const ATTEMPT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export { ATTEMPT_CHANNELS, type AttemptChannel };
const attemptChannel = (channel: Channel): AttemptChannel => ATTEMPT_CHANNEL_NAMES[channel];

/** What the person's handset or inbox reported, in Twilio's message and call status words. */
function channelStatus(
  channel: Channel,
  outcome: DeliveryOutcome,
): { field: 'message_status' | 'call_status'; value: string } {
  if (channel === 'call') return { field: 'call_status', value: outcome === 'delivered' ? 'completed' : 'no-answer' };
  return { field: 'message_status', value: outcome === 'delivered' ? 'delivered' : 'undelivered' };
}

/** Twilio's error for an SMS/WhatsApp/RCS message the carrier could not deliver (30008, unknown error). */
const UNDELIVERED_MESSAGE_ERROR = '30008';

/** A flat per-channel price in USD; real prices vary by country and are not what the emulator is for. */
const PRICES: Record<AttemptChannel, string> = {
  sms: '0.0079',
  call: '0.0130',
  whatsapp: '0.0050',
  email: '0.0000',
  rbm: '0.0075',
};

/**
 * Kept for the report benchmark (bench/HISTORY.md), like the recent queries below and
 * fast/attempt-json-cache.ts. Attempts newest first, kept between requests: paging through 10,000 attempts would
 * otherwise sort them all again for every page. Records never change their time or SID, so
 * only additions (addAttempt) and a cleared store (its size changes) make the order stale.
 */
const newestFirst = new WeakMap<Map<string, AttemptRecord>, AttemptRecord[]>();

function attemptsNewestFirst(state: EmulatorState): AttemptRecord[] {
  const { attempts } = state.store;
  let sorted = newestFirst.get(attempts);
  if (!sorted || sorted.length !== attempts.size) {
    sorted = [...attempts.values()].sort((a, b) => b.time - a.time || (a.sid < b.sid ? -1 : 1));
    newestFirst.set(attempts, sorted);
  }
  return sorted;
}

/** The one way attempts enter the store. */
export function addAttempt(state: EmulatorState, attempt: AttemptRecord): void {
  state.store.attempts.set(attempt.sid, attempt);
  newestFirst.delete(state.store.attempts);
  recentQueries.delete(state.store.attempts);
}

export function recordAttempt(
  state: EmulatorState,
  verification: VerificationRecord,
  sid: string,
  outcome: DeliveryOutcome,
): void {
  const now = state.clock.now();
  addAttempt(state, {
    sid,
    serviceSid: verification.serviceSid,
    verificationSid: verification.sid,
    to: verification.to,
    channel: verification.channel,
    time: now,
    outcome,
    codeLength: verification.code.length,
    locale: verification.locale,
    expiresAt: verification.expiresAt,
  });
}

export function convertLatestAttempt(state: EmulatorState, verification: VerificationRecord): void {
  const latest = verification.sendCodeAttempts[verification.sendCodeAttempts.length - 1];
  const attempt = latest ? state.store.attempts.get(latest.attemptSid) : undefined;
  if (attempt) {
    attempt.convertedAt = state.clock.now();
    recentQueries.delete(state.store.attempts);
  }
}

/** The destination's country, derived once (libphonenumber's small metadata is enough for the region). */
function attemptCountry(attempt: AttemptRecord): string | null {
  if (attempt.country === undefined) {
    attempt.country = attempt.channel === 'email' ? null : (parsePhoneNumberFromString(attempt.to)?.country ?? null);
  }
  return attempt.country;
}

export interface AttemptFilter {
  after?: number;
  before?: number;
  to?: string;
  destinationPrefix?: string;
  country?: string;
  channel?: AttemptChannel;
  serviceSid?: string;
  verificationSid?: string;
  converted?: boolean;
}

/**
 * Recent queries' answers, so paging through one filtered list (while its summary is asked
 * for too) filters it once. Keyed by the filter and the retention cut-off's second; dropped
 * when an attempt is added or converted (the `converted` filter reads conversions).
 */
const recentQueries = new WeakMap<Map<string, AttemptRecord>, Map<string, AttemptRecord[]>>();
const RECENT_QUERIES = 8;

/**
 * Attempts matching every given filter, newest first, within the 30 days the API keeps.
 * Date filters are half-open: created at or after `after`, strictly before `before`.
 */
export function findAttempts(state: EmulatorState, filter: AttemptFilter): AttemptRecord[] {
  const oldest = state.clock.now() - ATTEMPT_RETENTION_MS;
  const key = `${Math.floor(oldest / 1000)}|${state.store.attempts.size}|${JSON.stringify(filter)}`;
  let recent = recentQueries.get(state.store.attempts);
  if (!recent) {
    recent = new Map();
    recentQueries.set(state.store.attempts, recent);
  }
  const cached = recent.get(key);
  if (cached) return cached;
  const found: AttemptRecord[] = [];
  for (const attempt of attemptsNewestFirst(state)) {
    if (attempt.time < oldest) break;
    if (filter.after !== undefined && attempt.time < filter.after) continue;
    if (filter.before !== undefined && attempt.time >= filter.before) continue;
    if (filter.to !== undefined && attempt.to !== filter.to) continue;
    if (filter.destinationPrefix !== undefined && !attempt.to.startsWith(filter.destinationPrefix)) continue;
    if (filter.channel !== undefined && attemptChannel(attempt.channel) !== filter.channel) continue;
    if (filter.serviceSid !== undefined && attempt.serviceSid !== filter.serviceSid) continue;
    if (filter.verificationSid !== undefined && attempt.verificationSid !== filter.verificationSid) continue;
    if (filter.converted !== undefined && (attempt.convertedAt !== undefined) !== filter.converted) continue;
    if (filter.country !== undefined && attemptCountry(attempt) !== filter.country) continue;
    found.push(attempt);
  }
  if (recent.size >= RECENT_QUERIES) recent.clear();
  recent.set(key, found);
  return found;
}

const attemptUrl = (sid: string) => `${VERIFY_BASE_URL}/v2/Attempts/${sid}`;

/** The spec's verify.v2.verification_attempt, properties in the spec's order. */
export function attemptJson(attempt: AttemptRecord, accountSid: string, now: number) {
  const channel = attemptChannel(attempt.channel);
  const converted = attempt.convertedAt !== undefined;
  const delivery = channelStatus(attempt.channel, attempt.outcome);
  const channelData: Record<string, string | number | null> = {
    verification_sid: attempt.verificationSid,
    to: attempt.to,
    status: converted ? 'confirmed' : now >= attempt.expiresAt ? 'expired' : 'unconfirmed',
    [delivery.field]: delivery.value,
  };
  if (attempt.outcome !== 'delivered' && delivery.field === 'message_status')
    channelData['error_code'] = UNDELIVERED_MESSAGE_ERROR;
  channelData['country'] = attemptCountry(attempt);
  channelData['code_length'] = attempt.codeLength;
  channelData['locale'] = attempt.locale;
  return {
    sid: attempt.sid,
    account_sid: accountSid,
    service_sid: attempt.serviceSid,
    verification_sid: attempt.verificationSid,
    date_created: toTwilioDate(attempt.time),
    date_updated: toTwilioDate(attempt.convertedAt ?? attempt.time),
    conversion_status: converted ? 'converted' : 'unconverted',
    channel,
    price: { value: PRICES[channel], currency: 'usd' },
    channel_data: channelData,
    url: attemptUrl(attempt.sid),
  };
}

/** The spec's verify.v2.verification_attempts_summary. */
export function attemptsSummaryJson(attempts: readonly AttemptRecord[]) {
  let converted = 0;
  for (const attempt of attempts) if (attempt.convertedAt !== undefined) converted += 1;
  const total = attempts.length;
  return {
    total_attempts: total,
    total_converted: converted,
    total_unconverted: total - converted,
    // Twilio's example shows "81.818181818": nine decimals, as a string; null when nothing was sent.
    conversion_rate_percentage: total === 0 ? null : ((converted / total) * 100).toFixed(9).replace(/\.?0+$/, ''),
    url: `${VERIFY_BASE_URL}/v2/Attempts/Summary`,
  };
}
