import { AppError } from '../domain/app-error';
import { isRateLimitName, rateLimitRefusal, type RateLimitName } from '../domain/rate-limits';
import { verifyService, type VerifyConnection } from './verify-client';

/**
 * The header Twilio's OpenAPI file declares on a verification create's 429. Its value is not
 * documented: a rate limit's unique_name (what the emulator sends) or its RK SID are both read.
 */
export const REACHED_RATE_LIMIT_HEADER = 'twilio-reached-rate-limit';

// Which of this project's limits refused an error, for the flow that keeps the refusal (send-lock).
const REFUSED_BY = new WeakMap<AppError, RateLimitName>();

/** The project's rate limit that Verify named for this refused send, if it named one. */
export function refusedBy(error: unknown): RateLimitName | undefined {
  return error instanceof AppError ? REFUSED_BY.get(error) : undefined;
}

/** unique_name of a reported limit: as given, or looked up by its RK SID; undefined when unknown. */
async function uniqueNameOf(
  connection: VerifyConnection,
  serviceSid: string,
  reported: string,
): Promise<string | undefined> {
  if (!/^RK[0-9a-f]{32}$/i.test(reported)) return reported;
  try {
    return (await verifyService(connection, serviceSid).rateLimits(reported).fetch()).uniqueName;
  } catch {
    return undefined; // Naming the limit is a courtesy: the 429 stands either way.
  }
}

/**
 * A send refused by the Service's rate limits (20429), told which limit refused it and what
 * that limit allows; any other error passes through. Read the header before another Verify call.
 */
export async function withReachedRateLimit(
  error: AppError,
  connection: VerifyConnection,
  serviceSid: string,
  reported: string | undefined,
): Promise<AppError> {
  if (error.code !== 'rate_limited' || error.twilioCode !== 20429) return error;
  const name = reported ? await uniqueNameOf(connection, serviceSid, reported.trim()) : undefined;
  const details = { twilioCode: error.twilioCode, retryAfter: error.retryAfter };
  if (name !== undefined && isRateLimitName(name)) {
    const refusal = rateLimitRefusal(name, details);
    REFUSED_BY.set(refusal, name);
    return refusal;
  }
  const which = name
    ? `its \`${name}\` rate limit`
    : 'one of its rate limits (per destination, per number prefix or per clientKey; Verify did not say which)';
  return new AppError('rate_limited', {
    ...details,
    message: `Too many codes: the Verify Service refused this send under ${which}.`,
  });
}
