// What every route fuzzer does around its own checks: run a fixed number of generated
// requests with the log tap installed, start a fresh emulator every so often, count statuses
// and outcomes, catch Object.prototype pollution, collect violations by kind, and write and
// print a summary. Each fuzzer supplies the request and the checks only its route needs.
import fc from 'fast-check';
import twilio from 'twilio';
import { deriveKey } from '../../src/security/derived-keys';
import { sealVerificationHandle } from '../../src/security/verification-handle';
import { withPhoneFacts } from '../support/twilio-stub';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  type Emulator,
  type EmulatorMessage,
} from '../../emulator';
import {
  digitsOf,
  Histogram,
  prototypePolluted,
  prototypeSnapshot,
  refusedTypes,
  ViolationLog,
  writeSummary,
  type Answer,
  type LogTap,
  type Secret,
} from './support';

interface FuzzCase {
  answer: Answer;
  /** What this route's own checks found wrong (empty when nothing). */
  found: string[];
  /** The input, as it should be shown with a violation. */
  input: unknown;
}

export interface FuzzOptions<T> {
  route: string;
  numRuns: number;
  seed: number;
  arbitrary: fc.Arbitrary<T>;
  tap: LogTap;
  /** Called before the first run and every `every` runs: long runs do not grow one emulator forever. */
  epoch: { every: number; fresh: () => void | Promise<void> };
  run: (value: T, runNumber: number) => Promise<FuzzCase>;
  /** Route-specific counters for the summary, read once the runs are over. */
  counters?: () => Record<string, unknown>;
}

export interface FuzzReport {
  runs: number;
  statuses: Histogram;
  violations: ReturnType<ViolationLog['summary']>;
}

export async function fuzzRoute<T>(options: FuzzOptions<T>): Promise<FuzzReport> {
  const statuses = new Histogram();
  const outcomes = new Histogram();
  const violations = new ViolationLog();
  const prototypeBefore = prototypeSnapshot();
  let runs = 0;
  const started = performance.now();
  options.tap.install();
  try {
    await options.epoch.fresh();
    options.tap.drain();
    await fc.assert(
      fc.asyncProperty(options.arbitrary, async (value) => {
        runs += 1;
        if (runs % options.epoch.every === 0) {
          await options.epoch.fresh();
          options.tap.drain();
        }
        const { answer, found, input } = await options.run(value, runs);
        if (prototypePolluted(prototypeBefore)) found.push('Object.prototype polluted');
        const body = answer.body as { ok?: boolean; error?: { code?: string } } | undefined;
        statuses.add(answer.status);
        outcomes.add(answer.status === 204 ? 'preflight' : body?.ok ? 'ok' : String(body?.error?.code));
        if (found.length) violations.add(found, input);
      }),
      { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
    );
  } finally {
    options.tap.restore();
  }
  const elapsedMs = Math.round(performance.now() - started);
  const summary = {
    route: options.route,
    seed: options.seed,
    runs,
    elapsedMs,
    ...options.counters?.(),
    statuses: statuses.counts,
    outcomes: outcomes.counts,
    violations: violations.summary(),
  };
  const file = writeSummary(`hardening-fuzz-${options.route}`, summary);
  reportSummary(`fuzz ${options.route}: ${runs} inputs in ${elapsedMs} ms (seed ${options.seed}) → ${file}`, summary);
  return { runs, statuses, violations: violations.summary() };
}

/**
 * The summary is always written to its file; it is printed only in verbose mode
 * (`FUZZ_VERBOSE=1 npm test`), so a plain `npm test` shows failures, not ~400 lines of JSON.
 */
export function reportSummary(headline: string, summary: object, env: NodeJS.ProcessEnv = process.env): void {
  if (env['FUZZ_VERBOSE'] === '1') console.log(`${headline}\n${JSON.stringify(summary, null, 2)}`);
}

/** What a delivered message must not leak: its code and its full destination. */
export function deliveredSecrets(delivered: readonly EmulatorMessage[]): Secret[] {
  return delivered.flatMap((m): Secret[] => [
    { kind: 'code', value: m.code },
    m.channel === 'email' ? { kind: 'email address', value: m.to } : { kind: 'phone number', value: digitsOf(m.to) },
  ]);
}

/** Sends the anti-pumping policy forbids: outside ALLOWED_COUNTRIES, or to a refused number type. */
export function policyViolations(
  delivered: readonly EmulatorMessage[],
  allowedCountries: string | undefined,
): string[] {
  const allowed = (allowedCountries ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  if (allowed.length === 0) allowed.push('US');
  const found: string[] = [];
  for (const m of delivered) {
    if (m.channel === 'email') continue;
    const phone = parsePhoneNumberFromString(m.to);
    if (!allowed.includes('*') && !allowed.includes(phone?.country ?? '?'))
      found.push('policy: sent outside ALLOWED_COUNTRIES');
    const type = phone?.getType();
    if (type && refusedTypes(m.channel).has(type)) found.push(`policy: sent ${m.channel} to a ${type} number`);
  }
  return found;
}

/** A real pending verification, with the code the emulator delivered for it. */
export interface Live {
  sid: string;
  to: string;
  code: string;
  /** Its handle, sealed as /start-verify would (the in-process context's AUTH_TOKEN is the key material). */
  handle: string;
}

/** A handle for `sid` as /start-verify seals it, optionally carrying fallback destinations. */
export function handleFor(sid: string, to: string, extra: { phone?: string; email?: string } = {}): string {
  return sealVerificationHandle(
    withPhoneFacts({
      verificationSid: sid,
      serviceSid: EMULATOR_SERVICE_SID,
      to,
      channel: 'sms',
      phone: extra.phone ?? to,
      email: extra.email,
      expiresAt: Date.now() + 600_000,
      attemptOffset: 0,
      knownAttempts: 5,
    }),
    deriveKey({ authToken: EMULATOR_AUTH_TOKEN }, 'verification-handle'),
  );
}

/**
 * Starts and checks real verifications on whichever emulator is current (fuzzers swap it
 * every epoch), through the SDK, with one client per emulator.
 */
export function liveVerifications(current: () => Emulator) {
  let cached: { for: Emulator; client: ReturnType<typeof twilio> } | undefined;
  const service = () => {
    const emulator = current();
    if (cached?.for !== emulator)
      cached = {
        for: emulator,
        client: twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
      };
    return cached.client.verify.v2.services(EMULATOR_SERVICE_SID);
  };
  return {
    async start(to: string): Promise<Live> {
      const verification = await service().verifications.create({ to, channel: 'sms' });
      return {
        sid: verification.sid,
        to,
        code: current().messages({ to }).at(-1)?.code ?? '',
        handle: handleFor(verification.sid, to),
      };
    },
    /** Whether Verify would still approve this code (after a cancel it must not). */
    async stillApproves(live: Live): Promise<boolean> {
      try {
        return (await service().verificationChecks.create({ to: live.to, code: live.code })).status === 'approved';
      } catch {
        return false;
      }
    },
  };
}
