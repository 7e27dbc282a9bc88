import { codesMatch, generateCode } from './codes';
import { toTwilioDate } from './clock';
import type { EmulatorState } from './context';
import { TwilioApiError, notFound } from './errors';
import { convertLatestAttempt, recordAttempt } from './attempts';
import { composeMessage } from './messages';
import { carrierType } from './phone-validity';
import { newSid } from './sids';
import type { ServiceRecord, VerificationRecord } from './store';
import type { Channel, EmulatorMessage } from './types';

/**
 * Verify's verification lifecycle (docs/verify-facts.md, "Lifecycle", Twilio's "Rate Limits and Timeouts" page
 * and error pages 60202/60203):
 *
 * - A code lives 10 minutes from the first send. Sending again to the same `To` while it is
 *   live keeps the SID and the code and appends to `send_code_attempts`; 5 sends are allowed,
 *   the 6th is 60203 (429).
 * - Wrong checks answer 200 with `valid: false`. The 5th wrong check still answers 200 and
 *   moves the verification to `max_attempts_reached`; from then on, until its 10 minutes are
 *   over, checks and new sends to that `To` answer 60202 (429: "You have attempted to check
 *   a verification more than 5 times … you will need to wait until the current verification
 *   expires (10 minutes) to create a new verification"). After that it is gone: 20404.
 * - Approved, canceled and expired verifications are gone at once: fetch, check and update
 *   answer 20404.
 */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
const MAX_SENDS = 5;
const MAX_WRONG_CHECKS = 5;

/** Pending, or exhausted but still inside its window (it still blocks its `To`). */
function isLive(verification: VerificationRecord, now: number): boolean {
  if (verification.status !== 'pending' && verification.status !== 'max_attempts_reached') return false;
  if (now < verification.expiresAt) return true;
  verification.status = 'expired';
  return false;
}

function liveVerificationTo(state: EmulatorState, serviceSid: string, to: string): VerificationRecord | undefined {
  const newest = state.store.newestVerificationTo.get(`${serviceSid}\n${to}`);
  // Deleting a service removes its verifications from the store; the index keeps no ghosts alive.
  if (!newest || state.store.verifications.get(newest.sid) !== newest) return undefined;
  return isLive(newest, state.clock.now()) ? newest : undefined;
}

/**
 * The verification behind a SID — or behind its `To`, which Verify also accepts in the URL
 * in place of the SID — only while it can still be fetched (pending, within 10 minutes).
 */
export function pendingVerification(state: EmulatorState, serviceSid: string, sid: string, resourcePath: string) {
  const verification = sid.startsWith('VE')
    ? state.store.verifications.get(sid)
    : liveVerificationTo(state, serviceSid, sid);
  if (
    !verification ||
    verification.serviceSid !== serviceSid ||
    !isLive(verification, state.clock.now()) ||
    verification.status !== 'pending'
  ) {
    throw notFound(resourcePath);
  }
  return verification;
}

export interface StartInput {
  to: string;
  channel: Channel;
  locale?: string;
  customCode?: string;
  customFriendlyName?: string;
  appHash?: string;
  amount?: string;
  payee?: string;
}

/** Starts a verification, or re-sends the live one to the same `To`. */
export function startVerification(state: EmulatorState, service: ServiceRecord, input: StartInput): VerificationRecord {
  const live = liveVerificationTo(state, service.sid, input.to);
  if (live?.status === 'max_attempts_reached') throw TwilioApiError.of('maxCheckAttempts');
  if (live && live.sendCodeAttempts.length >= MAX_SENDS) throw TwilioApiError.of('maxSendAttempts');

  const now = state.clock.now();
  const verification: VerificationRecord = live ?? {
    sid: newSid('VE'),
    serviceSid: service.sid,
    to: input.to,
    channel: input.channel,
    status: 'pending',
    code: state.config.testNumbers.get(input.to) ?? input.customCode ?? generateCode(service.codeLength),
    locale: 'en',
    amount: input.amount ?? null,
    payee: input.payee ?? null,
    sendCodeAttempts: [],
    carrierType: service.lookupEnabled && input.channel !== 'email' ? carrierType(input.to) : null,
    wrongChecks: 0,
    dateCreated: now,
    dateUpdated: now,
    expiresAt: now + CODE_LIFETIME_MS,
  };
  state.store.verifications.set(verification.sid, verification);
  state.store.newestVerificationTo.set(`${service.sid}\n${verification.to}`, verification);
  deliver(state, service, verification, input);
  return verification;
}

/** Records one send attempt and the message a person would receive for it. */
function deliver(
  state: EmulatorState,
  service: ServiceRecord,
  verification: VerificationRecord,
  input: StartInput,
): void {
  const now = state.clock.now();
  const attemptSid = newSid('VL');
  verification.channel = input.channel;
  verification.locale = input.locale ?? verification.locale;
  verification.dateUpdated = now;
  verification.sendCodeAttempts.push({ attemptSid, channel: input.channel, time: now });
  const message = composeMessage({
    channel: input.channel,
    friendlyName: input.customFriendlyName ?? service.friendlyName,
    code: verification.code,
    appHash: input.appHash,
    doNotShareWarning: service.doNotShareWarningEnabled,
  });
  const delivered: EmulatorMessage = {
    sid: attemptSid,
    to: verification.to,
    channel: input.channel,
    ...message,
    code: verification.code,
    locale: verification.locale,
    verificationSid: verification.sid,
    serviceSid: service.sid,
    dateCreated: toTwilioDate(now),
    status: state.store.deliveryOutcomes.get(input.channel) ?? 'delivered',
  };
  state.store.messages.push(delivered);
  recordAttempt(state, verification, attemptSid, delivered.status);
  const inbox = state.store.messagesByTo.get(delivered.to);
  if (inbox) inbox.push(delivered);
  else state.store.messagesByTo.set(delivered.to, [delivered]);
}

export interface CheckTarget {
  to?: string;
  verificationSid?: string;
}

/** Checks a code; answers the verification as it stands afterwards (approved, pending or exhausted). */
export function checkVerification(
  state: EmulatorState,
  service: ServiceRecord,
  target: CheckTarget,
  code: string,
  resourcePath: string,
): VerificationRecord {
  const now = state.clock.now();
  const bySid = target.verificationSid ? state.store.verifications.get(target.verificationSid) : undefined;
  const verification = target.verificationSid
    ? bySid?.serviceSid === service.sid && isLive(bySid, now)
      ? bySid
      : undefined
    : liveVerificationTo(state, service.sid, target.to ?? '');
  if (!verification) throw notFound(resourcePath);
  if (verification.status === 'max_attempts_reached') throw TwilioApiError.of('maxCheckAttempts');

  verification.dateUpdated = now;
  if (codesMatch(verification.code, code)) {
    verification.status = 'approved';
    convertLatestAttempt(state, verification);
  } else {
    verification.wrongChecks += 1;
    if (verification.wrongChecks >= MAX_WRONG_CHECKS) verification.status = 'max_attempts_reached';
  }
  return verification;
}

/**
 * Cancels a pending verification, or approves it (only for services with custom codes,
 * where the application checks the code itself and reports the outcome).
 */
export function updateVerificationStatus(
  state: EmulatorState,
  service: ServiceRecord,
  sid: string,
  status: 'canceled' | 'approved',
  resourcePath: string,
): VerificationRecord {
  const verification = pendingVerification(state, service.sid, sid, resourcePath);
  if (status === 'approved' && !service.customCodeEnabled) throw TwilioApiError.of('featureNotEnabled');
  verification.status = status;
  verification.dateUpdated = state.clock.now();
  if (status === 'approved') convertLatestAttempt(state, verification);
  return verification;
}
