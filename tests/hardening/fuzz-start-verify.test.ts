// Property-based fuzzing of POST /start-verify, in-process against the emulator with the
// real twilio SDK. 10,000 generated requests per run (bounded by count, not time).
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { handler } from '../../functions/start-verify';
import { createEmulator, type Emulator, type EmulatorMessage } from '../../emulator';
import { handler as createServiceHandler } from '../../functions/create-service';
import { VERIFY_LOCALES } from '../../twilio-facts/verify-locales';
import {
  firstHeader,
  isFriendlyOrigin,
  materializeHeaders,
  materializeParams,
  PREMIUM_OR_TOLL_FREE,
  LANDLINES,
  startPlan,
  type HeaderPlan,
} from './arbitraries';
import { deliveredSecrets, fuzzRoute, policyViolations } from './fuzz-runner';
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGINS,
  baseSecrets,
  buildEvent,
  callHandler,
  contractViolations,
  fuzzSeed,
  hasLongDigitRun,
  inProcessContext,
  leakViolations,
  LogTap,
  type AnyHandler,
} from './support';

const NUM_RUNS = 10_000;
const SEED = fuzzSeed();
/** A fresh emulator every so many runs keeps its linear scans short. */
const EMULATOR_EPOCH = 300;

const envPlan = fc.record({
  countries: fc.constantFrom<string | undefined>(undefined, '*', '*', 'US,GB,FR', 'us, ca'),
  metered: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

/** A request any honest client could send for a US mobile: it must be sent (or refused only by a send limit). */
function isCleanUsRequest(
  fields: Record<string, unknown>,
  plan: { extras: unknown[]; stuffing: number; headers: HeaderPlan },
) {
  return (
    typeof fields.to === 'string' &&
    /^\+1415555\d{4}$/.test(fields.to) &&
    [undefined, 'sms', 'call', 'voice', 'whatsapp', 'rcs'].includes(fields.channel as string | undefined) &&
    (fields.locale === undefined || (VERIFY_LOCALES as readonly unknown[]).includes(fields.locale)) &&
    fields.country === undefined &&
    (fields.clientKey === undefined ||
      (typeof fields.clientKey === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(fields.clientKey))) &&
    plan.extras.length === 0 &&
    plan.stuffing === 0 &&
    (plan.headers.contentType === 'json' || plan.headers.contentType === 'form') &&
    !plan.headers.preflight &&
    isFriendlyOrigin(plan.headers)
  );
}

describe('fuzz: POST /start-verify', () => {
  let emulator: Emulator;
  let meteredServiceSid: string;
  const tap = new LogTap();

  async function freshEmulator() {
    emulator = createEmulator();
    // A service with this project's rate limits, for the runs with VERIFY_RATE_LIMITS on.
    const created = await callHandler(
      createServiceHandler as AnyHandler,
      inProcessContext(emulator),
      buildEvent(
        { friendlyName: 'Metered' },
        { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      ),
      tap,
    );
    if (created.status !== 201)
      throw new Error(`could not create the metered service: ${created.status} ${JSON.stringify(created.body)}`);
    meteredServiceSid = String((created.body as { sid: string }).sid);
  }

  it('the fixtures are what the generators claim (premium/toll-free/landline types)', () => {
    for (const n of PREMIUM_OR_TOLL_FREE)
      expect(['PREMIUM_RATE', 'TOLL_FREE']).toContain(parsePhoneNumberFromString(n)?.getType());
    for (const n of LANDLINES) expect(parsePhoneNumberFromString(n)?.getType()).toBe('FIXED_LINE');
  });

  it(`${NUM_RUNS} generated requests: no throw, no 5xx, contract shape, one log line, no send outside the policy, no leak`, async () => {
    let sends = 0;
    let cleanRequests = 0;
    let handlerMs = 0;
    const report = await fuzzRoute({
      route: 'start-verify',
      numRuns: NUM_RUNS,
      seed: SEED,
      tap,
      arbitrary: fc.tuple(startPlan, envPlan),
      epoch: { every: EMULATOR_EPOCH, fresh: freshEmulator },
      counters: () => ({ handlerMs: Math.round(handlerMs), sends, cleanRequests }),
      run: async ([plan, env], runNumber) => {
        // Let send limits and the 10-minute buckets drain now and then.
        if (runNumber % 150 === 0) emulator.advanceClock(601);

        const headers = materializeHeaders(plan.headers);
        const params = materializeParams(plan.fields as Record<string, unknown>, plan);
        const context = inProcessContext(emulator, {
          ALLOWED_COUNTRIES: env.countries,
          ...(env.metered ? { VERIFY_RATE_LIMITS: 'true', VERIFY_SERVICE_SID: meteredServiceSid } : {}),
        });
        const before = emulator.messages().length;
        const answer = await callHandler(handler as AnyHandler, context, buildEvent(params, headers), tap);
        handlerMs += answer.ms;
        const delivered: EmulatorMessage[] = emulator.messages().slice(before);

        const origin = firstHeader(headers.origin);
        const found = contractViolations(answer, {
          route: 'start-verify',
          origin,
          allowedOrigins: ALLOWED_ORIGINS,
          preflight: plan.headers.preflight,
        });

        // No code, no full destination, no token: per delivered message, and globally no long digit run.
        found.push(...leakViolations(answer, [...baseSecrets(), ...deliveredSecrets(delivered)]));
        if (hasLongDigitRun(answer)) found.push('leak: a run of 6+ digits in the response or log');

        // Sends happen only on success, exactly one, and only where the policy allows.
        const ok = answer.status === 200;
        if (ok) sends += 1;
        if (delivered.length !== (ok ? 1 : 0))
          found.push(`${delivered.length} messages delivered for status ${answer.status}`);
        found.push(...policyViolations(delivered, env.countries));
        for (const m of delivered) {
          if (m.channel === 'email') continue;
          // The visible tail of the masked form is the delivered number's own.
          const masked = (answer.body as { to?: string }).to ?? '';
          if (!masked.includes('*') || !m.to.endsWith(masked.replace(/^.*\*/, '')))
            found.push('masked `to` does not belong to the delivered number');
        }

        // Valid input really runs: an honest US request is sent, or refused only by a send limit.
        if (isCleanUsRequest(plan.fields as Record<string, unknown>, plan)) {
          cleanRequests += 1;
          if (answer.status !== 200 && answer.status !== 429) found.push(`clean US request answered ${answer.status}`);
        }
        return {
          answer,
          found,
          input: { fields: plan.fields, extras: plan.extras, stuffing: plan.stuffing, headers, env },
        };
      },
    });

    expect(report.runs).toBe(NUM_RUNS);
    // Not vacuous: plenty of inputs reached Verify and were sent.
    expect(sends).toBeGreaterThan(NUM_RUNS * 0.05);
    expect(cleanRequests).toBeGreaterThan(100);
    // The seed rides along so a failure reads FUZZ_SEED=… to replay it.
    expect({ seed: SEED, violations: report.violations }).toEqual({ seed: SEED, violations: {} });
  }, 180_000);
});
