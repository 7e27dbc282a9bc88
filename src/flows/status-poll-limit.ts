import { AppError } from '../domain/app-error';

/**
 * Polls of /verification-status allowed per verification per minute, within one warm function
 * instance. The page polls with a back-off starting at 2 s, well under this.
 */
export const STATUS_POLLS_PER_MINUTE = 20;
const WINDOW_MS = 60_000;
/** Verifications tracked at once; beyond it the oldest are forgotten (memory stays bounded). */
const MAX_TRACKED = 2000;

const recent = new Map<string, number[]>();

/**
 * A best-effort guard: a function keeps no state between instances (and twilio-run forks one
 * per request), so this only slows a poller that keeps hitting one warm instance. What bounds
 * polling everywhere is Verify: each poll spends one of its fetches of that verification
 * (60 a minute), fetched before anything else is asked. Over the limit: 429 `rate_limited`
 * with the seconds until the oldest counted poll leaves the window.
 */
export function meterStatusPoll(verificationSid: string, now: number, limit = STATUS_POLLS_PER_MINUTE): void {
  const times = (recent.get(verificationSid) ?? []).filter((t) => now - t < WINDOW_MS);
  if (times.length >= limit) {
    recent.set(verificationSid, times);
    throw new AppError('rate_limited', { field: 'verification', retryAfter: Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000)) });
  }
  times.push(now);
  recent.delete(verificationSid);
  recent.set(verificationSid, times);
  if (recent.size > MAX_TRACKED) recent.delete(recent.keys().next().value as string);
}

/** For tests: forget every poll. */
export function resetStatusPolls(): void {
  recent.clear();
}
