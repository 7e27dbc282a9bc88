import type { EmulatorState } from './context';
import { TwilioApiError, invalidParameter } from './errors';

/**
 * Meters a verification start against the service's Programmable Rate Limits.
 * `values` is the request's RateLimits JSON: rate limit unique_name → the value to count
 * (a phone number, a user id…). Each bucket allows `max` requests per distinct value within
 * a sliding `interval` seconds; a request over any bucket is refused with 20429 and a
 * Retry-After (seconds until the bucket has room) and is not counted. Twilio's OpenAPI file
 * declares a `Twilio-Reached-Rate-Limit` header on that 429 without documenting its value; the
 * emulator sends the unique_name of the rate limit that refused (the longest wait's).
 */
export function meterRateLimits(state: EmulatorState, serviceSid: string, values: Record<string, unknown>): void {
  const { store } = state;
  const now = state.clock.now();
  const counted: string[] = [];
  let retryAfterSeconds = 0;
  let reached = '';

  for (const [uniqueName, raw] of Object.entries(values)) {
    const rateLimit = [...store.rateLimits.values()].find(
      (candidate) => candidate.serviceSid === serviceSid && candidate.uniqueName === uniqueName,
    );
    if (!rateLimit || !['string', 'number', 'boolean'].includes(typeof raw)) throw invalidParameter('RateLimits');
    for (const bucket of store.buckets.values()) {
      if (bucket.rateLimitSid !== rateLimit.sid) continue;
      const key = `${bucket.sid}\n${String(raw)}`;
      const windowMs = bucket.interval * 1000;
      const hits = (store.bucketHits.get(key) ?? []).filter((time) => time > now - windowMs);
      store.bucketHits.set(key, hits);
      counted.push(key);
      if (hits.length >= bucket.max) {
        const oldestThatMustLeave = hits[hits.length - bucket.max] ?? now;
        const wait = Math.max(Math.ceil((oldestThatMustLeave + windowMs - now) / 1000), 1);
        if (wait > retryAfterSeconds) [retryAfterSeconds, reached] = [wait, uniqueName];
      }
    }
  }

  if (retryAfterSeconds > 0) {
    throw TwilioApiError.of('tooManyRequests', {
      headers: { 'retry-after': String(retryAfterSeconds), 'twilio-reached-rate-limit': reached },
    });
  }
  for (const key of counted) store.bucketHits.get(key)?.push(now);
}
