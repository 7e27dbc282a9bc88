/**
 * Verify Programmable Rate Limits this project meters sends with. Names are the `RateLimits`
 * keys passed on verification create; buckets are what `create-service` sets up.
 */
export const RATE_LIMITS = [
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

/** The RateLimits values for one send: what each limit counts. */
export function rateLimitValues(prefix: string | undefined, clientKey: string | undefined): Partial<Record<RateLimitName, string>> {
  const values: Partial<Record<RateLimitName, string>> = {};
  if (prefix) values.phone_prefix = prefix;
  if (clientKey) values.client_key = clientKey;
  return values;
}
