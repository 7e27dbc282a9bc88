import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import { stateKey } from '../state/state-keys';
import type { StateStore } from '../state/state-store';
import { meterUse } from './usage-meter';

/**
 * Polls of /verification-status allowed per verification per minute, across every instance
 * (the count lives in the store). The page polls with a back-off starting at 1.5 s, well under it.
 */
export const STATUS_POLLS_PER_MINUTE = 20;

/**
 * Counts a poll before any Verify call: over the limit, 429 `rate_limited` (`field:
 * "verification"`) with the seconds until the minute's window ends. Verify's own limit (60
 * fetches a minute per verification) stays behind it as a backstop.
 */
export function meterStatusPoll(store: StateStore, config: Config, verificationSid: string): Promise<void> {
  return meterUse(
    store,
    stateKey(config, 'poll', verificationSid),
    [{ seconds: 60, limit: STATUS_POLLS_PER_MINUTE }],
    (retryAfter) => new AppError('rate_limited', { field: 'verification', retryAfter }),
  );
}
