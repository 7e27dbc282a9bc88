import { attemptDeliveryState, codeNotReceived } from './delivery-state';

/**
 * The owner's view of verification traffic over a window, computed from Verification Attempts:
 * conversion by channel and by country, attempts vs converted over time, delivery failures,
 * and a pumping signal. Pure: the flow fetches, this counts.
 */
export const REPORT_WINDOWS = { '24h': 24 * 3_600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type ReportWindow = keyof typeof REPORT_WINDOWS;

/** One bucket per hour for a day, per day for longer windows. */
const BUCKET_MS: Record<ReportWindow, number> = { '24h': 3_600_000, '7d': 86_400_000, '30d': 86_400_000 };

/** What the report reads of an attempt, in the Attempts API's wire format. */
export interface ReportAttempt {
  channel: string;
  conversion_status: string;
  /** ISO 8601, e.g. 2026-11-30T12:00:00Z. */
  date_created: string;
  channel_data?: unknown;
}

interface ConversionRow {
  key: string;
  attempts: number;
  converted: number;
  /** converted / attempts, 0–100 with one decimal; null when there were no attempts. */
  conversionRate: number | null;
}

interface FailureRow {
  key: string;
  attempts: number;
  /** Sends the person did not get: undelivered or failed messages, unanswered, busy or failed calls. */
  failed: number;
  failureRate: number | null;
}

interface SeriesPoint {
  start: string;
  attempts: number;
  converted: number;
}

interface PumpingSignal {
  kind: 'country' | 'prefix';
  key: string;
  attempts: number;
  unconverted: number;
  conversionRate: number | null;
  /** Unconverted attempts beyond what the baseline conversion rate would leave. */
  excessUnconverted: number;
}

export interface VerificationReport {
  window: ReportWindow;
  from: string;
  to: string;
  totals: ConversionRow;
  conversionByChannel: ConversionRow[];
  conversionByCountry: ConversionRow[];
  series: SeriesPoint[];
  failuresByCountry: FailureRow[];
  failuresByChannel: FailureRow[];
  pumping: { baselineRate: number | null; signals: PumpingSignal[] };
}

/** Key used for destinations with no country (email). */
const NO_COUNTRY = 'none';

/** A destination's number prefix: `+` and the first five digits, enough to single out a range, never a person. */
const PREFIX_LENGTH = 6;

/** A group is flagged when it has at least this many attempts… */
const PUMPING_MIN_ATTEMPTS = 20;
/** …and converts at less than this share of the baseline rate. */
const PUMPING_RATE_RATIO = 0.5;

const rate = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

interface Tally {
  attempts: number;
  converted: number;
  failed: number;
}

function tally(map: Map<string, Tally>, key: string): Tally {
  let found = map.get(key);
  if (!found) {
    found = { attempts: 0, converted: 0, failed: 0 };
    map.set(key, found);
  }
  return found;
}

const byAttemptsDesc = (a: [string, Tally], b: [string, Tally]) =>
  b[1].attempts - a[1].attempts || (a[0] < b[0] ? -1 : 1);

function conversionRows(map: Map<string, Tally>): ConversionRow[] {
  return [...map].sort(byAttemptsDesc).map(([key, t]) => ({
    key,
    attempts: t.attempts,
    converted: t.converted,
    conversionRate: rate(t.converted, t.attempts),
  }));
}

function failureRows(map: Map<string, Tally>): FailureRow[] {
  return [...map]
    .sort((a, b) => b[1].failed - a[1].failed || byAttemptsDesc(a, b))
    .map(([key, t]) => ({ key, attempts: t.attempts, failed: t.failed, failureRate: rate(t.failed, t.attempts) }));
}

function field(data: unknown, name: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function pumpingSignals(kind: PumpingSignal['kind'], map: Map<string, Tally>, baseline: number): PumpingSignal[] {
  const signals: PumpingSignal[] = [];
  for (const [key, t] of map) {
    if (t.attempts < PUMPING_MIN_ATTEMPTS) continue;
    const groupRate = t.converted / t.attempts;
    if (groupRate >= baseline * PUMPING_RATE_RATIO) continue;
    const unconverted = t.attempts - t.converted;
    signals.push({
      kind,
      key,
      attempts: t.attempts,
      unconverted,
      conversionRate: rate(t.converted, t.attempts),
      excessUnconverted: Math.round(unconverted - t.attempts * (1 - baseline)),
    });
  }
  return signals;
}

/**
 * Counts the attempts created at or after `from` (default: the window before `now`). Later
 * ones count too: the caller's clock may trail the API's by a second.
 */
export function buildVerificationReport(
  attempts: Iterable<ReportAttempt>,
  window: ReportWindow,
  now: number,
  from: number = now - REPORT_WINDOWS[window],
): VerificationReport {
  const bucketMs = BUCKET_MS[window];
  // Buckets aligned to whole hours/days (UTC) so the chart's labels read naturally.
  const firstBucket = Math.floor(from / bucketMs) * bucketMs;
  const bucketCount = Math.floor((now - firstBucket) / bucketMs) + 1;
  const series = Array.from({ length: bucketCount }, () => ({ attempts: 0, converted: 0 }));

  const totals: Tally = { attempts: 0, converted: 0, failed: 0 };
  const channels = new Map<string, Tally>();
  const countries = new Map<string, Tally>();
  const prefixes = new Map<string, Tally>();

  for (const attempt of attempts) {
    const time = Date.parse(attempt.date_created);
    if (!(time >= from)) continue;
    const converted = attempt.conversion_status === 'converted' ? 1 : 0;
    const failed = codeNotReceived(
      attemptDeliveryState({ channel: attempt.channel, channelData: attempt.channel_data }),
    )
      ? 1
      : 0;
    const country = field(attempt.channel_data, 'country') ?? NO_COUNTRY;
    const to = field(attempt.channel_data, 'to');
    for (const t of [totals, tally(channels, attempt.channel), tally(countries, country)]) {
      t.attempts += 1;
      t.converted += converted;
      t.failed += failed;
    }
    if (to?.startsWith('+')) {
      const t = tally(prefixes, to.slice(0, PREFIX_LENGTH));
      t.attempts += 1;
      t.converted += converted;
    }
    const point = series[Math.min(series.length - 1, Math.floor((time - firstBucket) / bucketMs))];
    if (point) {
      point.attempts += 1;
      point.converted += converted;
    }
  }

  const baseline = totals.attempts === 0 ? 0 : totals.converted / totals.attempts;
  const signals = [
    ...pumpingSignals('country', countries, baseline),
    ...pumpingSignals('prefix', prefixes, baseline),
  ].sort(
    (a, b) => b.excessUnconverted - a.excessUnconverted || a.kind.localeCompare(b.kind) || (a.key < b.key ? -1 : 1),
  );

  return {
    window,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    totals: {
      key: 'all',
      attempts: totals.attempts,
      converted: totals.converted,
      conversionRate: rate(totals.converted, totals.attempts),
    },
    conversionByChannel: conversionRows(channels),
    conversionByCountry: conversionRows(countries),
    series: series.map((point, i) => ({ start: new Date(firstBucket + i * bucketMs).toISOString(), ...point })),
    failuresByCountry: failureRows(countries),
    failuresByChannel: failureRows(channels),
    pumping: { baselineRate: rate(totals.converted, totals.attempts), signals },
  };
}
