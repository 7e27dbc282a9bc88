import { z } from 'zod';
import { addAttempt, ATTEMPT_RETENTION_MS } from './attempts';
import type { EmulatorState } from './context';
import { CODE_LIFETIME_MS } from './lifecycle';
import type { AttemptRecord } from './store';
import type { Channel } from './types';

/**
 * A made-up but plausible history of Verification Attempts, so the owner's dashboard has
 * something to show locally: several countries and channels, a daily rhythm, deliveries that
 * fail more in some countries than others, people who switch to a call after a failed SMS,
 * and bursts of SMS pumping (many unconverted sends to one prefix within an hour).
 * Deterministic for a given `seed`.
 */
export const seedAttemptsBody = z.object({
  count: z.number().int().min(1).max(50_000).default(2000),
  days: z.number().int().min(1).max(30).default(30),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  serviceSid: z
    .string()
    .regex(/^VA[0-9a-fA-F]{32}$/)
    .optional(),
});
export type SeedAttemptsInput = z.output<typeof seedAttemptsBody>;

interface CountryProfile {
  country: string;
  /** E.164 prefix the seeded numbers start with (a mobile range). */
  prefix: string;
  digits: number;
  weight: number;
  /** Share of messages that are not delivered. */
  failure: number;
  locale: string;
}

const COUNTRIES: readonly CountryProfile[] = [
  { country: 'US', prefix: '+1415', digits: 7, weight: 34, failure: 0.02, locale: 'en' },
  { country: 'GB', prefix: '+447', digits: 9, weight: 10, failure: 0.02, locale: 'en' },
  { country: 'DE', prefix: '+4915', digits: 9, weight: 8, failure: 0.03, locale: 'de' },
  { country: 'FR', prefix: '+336', digits: 8, weight: 7, failure: 0.03, locale: 'fr' },
  { country: 'IN', prefix: '+919', digits: 9, weight: 11, failure: 0.09, locale: 'en' },
  { country: 'BR', prefix: '+55119', digits: 8, weight: 8, failure: 0.05, locale: 'pt' },
  { country: 'MX', prefix: '+5255', digits: 8, weight: 6, failure: 0.06, locale: 'es' },
  { country: 'ES', prefix: '+346', digits: 8, weight: 5, failure: 0.02, locale: 'es' },
  { country: 'NG', prefix: '+23480', digits: 8, weight: 4, failure: 0.16, locale: 'en' },
  { country: 'ID', prefix: '+62812', digits: 8, weight: 4, failure: 0.11, locale: 'id' },
  { country: 'PH', prefix: '+63917', digits: 7, weight: 3, failure: 0.08, locale: 'en' },
];

/** Destinations SMS pumping typically targets: premium ranges in countries with little real traffic. */
const PUMPING_TARGETS: readonly CountryProfile[] = [
  { country: 'UZ', prefix: '+99890', digits: 7, weight: 1, failure: 0.01, locale: 'ru' },
  { country: 'KG', prefix: '+996700', digits: 6, weight: 1, failure: 0.01, locale: 'ru' },
];

/** Share of the seeded attempts that are pumping bursts. */
const PUMPING_SHARE = 0.06;

const CHANNEL_MIX: ReadonlyArray<{ channel: Channel; weight: number; conversion: number }> = [
  { channel: 'sms', weight: 68, conversion: 0.84 },
  { channel: 'whatsapp', weight: 12, conversion: 0.9 },
  { channel: 'email', weight: 12, conversion: 0.7 },
  { channel: 'call', weight: 8, conversion: 0.78 },
];

/** Relative traffic per UTC hour: quiet nights, busy afternoons. */
const HOURLY = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 9, 9, 9, 9, 9, 8, 8, 7, 6, 5, 4, 3, 2];

/** mulberry32: a tiny seeded PRNG, so a seed always gives the same history. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  let total = 0;
  for (const item of items) total += item.weight;
  let roll = random() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1] as T;
}

const hex = (random: () => number, length: number) => {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(random() * 16).toString(16);
  return out;
};

const digits = (random: () => number, length: number) => {
  let out = '';
  for (let i = 0; i < length; i += 1) out += Math.floor(random() * 10).toString();
  return out;
};

/** A time in the last `days` days following the daily rhythm, never in the future. */
function pastTime(random: () => number, now: number, days: number): number {
  const hourWeights = HOURLY.map((weight, hour) => ({ hour, weight }));
  for (;;) {
    const day = Math.floor(random() * days);
    const { hour } = pick(hourWeights, random);
    const midnight = Math.floor(now / 86_400_000) * 86_400_000 - day * 86_400_000;
    const time = midnight + hour * 3_600_000 + Math.floor(random() * 3_600_000);
    if (time <= now && time > now - days * 86_400_000 && time > now - ATTEMPT_RETENTION_MS) return time;
  }
}

/** Adds `count` attempts spread over the last `days` days; answers how many and their time span. */
export function seedAttempts(state: EmulatorState, input: SeedAttemptsInput, fallbackServiceSid: string | undefined) {
  const random = seededRandom(input.seed);
  const now = state.clock.now();
  const serviceSid = input.serviceSid ?? fallbackServiceSid ?? `VA${hex(random, 32)}`;
  const add = (record: Omit<AttemptRecord, 'sid' | 'serviceSid' | 'codeLength' | 'expiresAt'>, firstSend: number) => {
    const attempt: AttemptRecord = {
      ...record,
      convertedAt: record.convertedAt === undefined ? undefined : Math.min(record.convertedAt, now),
      sid: `VL${hex(random, 32)}`,
      serviceSid,
      codeLength: 6,
      expiresAt: firstSend + CODE_LIFETIME_MS,
    };
    addAttempt(state, attempt);
    return attempt;
  };

  let made = 0;
  const pumping = Math.round(input.count * PUMPING_SHARE);
  // Pumping: bursts of 20–60 SMS to one prefix inside an hour, almost never converted.
  while (made < pumping) {
    const target = pick(PUMPING_TARGETS, random);
    const start = pastTime(random, now, input.days);
    const burst = Math.min(pumping - made, 20 + Math.floor(random() * 41));
    for (let i = 0; i < burst; i += 1) {
      const time = Math.min(now, start + Math.floor(random() * 3_600_000));
      const converted = random() < 0.02;
      add(
        {
          verificationSid: `VE${hex(random, 32)}`,
          to: target.prefix + digits(random, target.digits),
          channel: 'sms',
          time,
          outcome: random() < target.failure ? 'undelivered' : 'delivered',
          locale: target.locale,
          country: target.country,
          convertedAt: converted ? time + 40_000 : undefined,
        },
        time,
      );
    }
    made += burst;
  }

  // Real people: one send, or a failed send followed by a call to the same number.
  while (made < input.count) {
    const profile = pick(COUNTRIES, random);
    const { channel, conversion } = pick(CHANNEL_MIX, random);
    const time = pastTime(random, now, input.days);
    const verificationSid = `VE${hex(random, 32)}`;
    const email = channel === 'email';
    const to = email ? `person${digits(random, 6)}@example.com` : profile.prefix + digits(random, profile.digits);
    const failed = random() < (email ? 0.03 : profile.failure);
    const converts = !failed && random() < conversion;
    add(
      {
        verificationSid,
        to,
        channel,
        time,
        outcome: failed ? 'undelivered' : 'delivered',
        locale: profile.locale,
        country: email ? null : profile.country,
        convertedAt: converts ? time + 15_000 + Math.floor(random() * 90_000) : undefined,
      },
      time,
    );
    made += 1;
    const callTime = time + 35_000;
    if (failed && !email && channel !== 'call' && made < input.count && callTime <= now && random() < 0.6) {
      add(
        {
          verificationSid,
          to,
          channel: 'call',
          time: callTime,
          outcome: 'delivered',
          locale: profile.locale,
          country: profile.country,
          convertedAt: random() < 0.8 ? callTime + 40_000 : undefined,
        },
        time,
      );
      made += 1;
    }
  }
  return { seeded: made, serviceSid, days: input.days };
}
