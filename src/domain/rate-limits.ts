/**
 * Verify Programmable Rate Limits this project meters sends with. Names are the `RateLimits`
 * keys passed on verification create; buckets are what `create-service` sets up.
 */
import { AppError } from './app-error';

export const RATE_LIMITS = [
  {
    uniqueName: 'destination',
    description: 'Sends per destination (E.164 number or email address)',
    // Each send can open a verification with 5 guesses, so these buckets bound the guesses
    // against one destination: 10 × 5 = 50 per hour and 40 × 5 = 200 per day, whoever asks.
    buckets: [
      { max: 10, interval: 3600 },
      { max: 40, interval: 86400 },
    ],
  },
  {
    uniqueName: 'phone_prefix',
    description: 'Sends per phone number prefix (number without its last 4 digits)',
    // A pumping run walks through consecutive numbers of one range.
    buckets: [
      { max: 10, interval: 600 },
      { max: 50, interval: 86400 },
    ],
  },
  {
    uniqueName: 'client_key',
    description: 'Sends per client key (e.g. a device id the app sends)',
    buckets: [
      { max: 5, interval: 600 },
      { max: 20, interval: 86400 },
    ],
  },
] as const;

export type RateLimitName = (typeof RATE_LIMITS)[number]['uniqueName'];

/** What a rate limit counts, in the words the docs use (docs/http-api.md holds every one). */
const COUNTED: Readonly<Record<RateLimitName, string>> = {
  destination: 'sends to one destination',
  phone_prefix: 'sends to one number prefix (the number without its last 4 digits)',
  client_key: 'sends for one `clientKey`',
};

const per = (seconds: number) =>
  seconds === 3600 ? 'an hour' : seconds === 86400 ? 'a day' : `per ${seconds / 60} minutes`;

/**
 * One sentence per rate limit, from its buckets: the one wording of each limit.
 * @example describeRateLimit('phone_prefix') // "`phone_prefix`: 10 per 10 minutes and 50 a day of sends to one number prefix (…)"
 */
export function describeRateLimit(name: RateLimitName): string {
  const limit = RATE_LIMITS.find((candidate) => candidate.uniqueName === name);
  const buckets = (limit?.buckets ?? []).map((bucket) => `${bucket.max} ${per(bucket.interval)}`).join(' and ');
  return `\`${name}\`: ${buckets} of ${COUNTED[name]}`;
}

/** The input each of this project's rate limits meters, so a form can point at it. */
const FIELD: Readonly<Record<RateLimitName, string>> = {
  destination: 'to',
  phone_prefix: 'to',
  client_key: 'clientKey',
};

const SENTENCE: Readonly<Record<RateLimitName, string>> = {
  destination: 'Too many codes were sent to this destination',
  phone_prefix: 'Too many codes were sent to numbers that share this one’s prefix',
  client_key: 'Too many codes were asked for with this clientKey',
};

/** The refusal of a send under one of this project's rate limits, naming it and the field it meters. */
export function rateLimitRefusal(name: RateLimitName, details: { twilioCode?: number; retryAfter?: number }): AppError {
  return new AppError('rate_limited', {
    ...details,
    field: FIELD[name],
    message: `${SENTENCE[name]}: the Verify Service's rate limit ${describeRateLimit(name)}.`,
  });
}

export function isRateLimitName(value: string): value is RateLimitName {
  return RATE_LIMITS.some((limit) => limit.uniqueName === value);
}

/** The RateLimits values for one send: what each limit counts. */
export function rateLimitValues(
  destination: string,
  prefix: string | undefined,
  clientKey: string | undefined,
): Partial<Record<RateLimitName, string>> {
  const values: Partial<Record<RateLimitName, string>> = { destination };
  if (prefix) values.phone_prefix = prefix;
  if (clientKey) values.client_key = clientKey;
  return values;
}
