/**
 * Verify Programmable Rate Limits this project meters sends with. Names are the `RateLimits`
 * keys passed on verification create; buckets are what `create-service` sets up.
 */
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

/** Wrong codes a single verification allows (Verify's rule). */
export const CHECKS_PER_VERIFICATION = 5;

/** The RateLimits values for one send: what each limit counts. */
export function rateLimitValues(destination: string, prefix: string | undefined, clientKey: string | undefined): Partial<Record<RateLimitName, string>> {
  const values: Partial<Record<RateLimitName, string>> = { destination };
  if (prefix) values.phone_prefix = prefix;
  if (clientKey) values.client_key = clientKey;
  return values;
}
