// Property-based fuzzing of POST /start-verify, in-process against the emulator with the
// real twilio SDK. 10,000 generated requests per run (bounded by count, not time).
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { handler } from '../../functions/start-verify';
import { createEmulator, type Emulator, type EmulatorMessage } from '../../emulator';
import { handler as createServiceHandler } from '../../functions/create-service';
import { VERIFY_LOCALES } from '../../src/domain/locales';
import { firstHeader, isFriendlyOrigin, materializeHeaders, materializeParams, PREMIUM_OR_TOLL_FREE, LANDLINES, startPlan, type HeaderPlan } from './arbitraries';
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGINS,
  buildEvent,
  callHandler,
  contractViolations,
  digitsOf,
  Histogram,
  inProcessContext,
  leakViolations,
  LogTap,
  hasLongDigitRun,
  prototypeSnapshot,
  ViolationLog,
  writeSummary,
  type AnyHandler,
  type Secret,
  fuzzSeed,
  refusedTypes,
  baseSecrets,
  prototypePolluted,
} from './support';

const NUM_RUNS = 10_000;
const SEED = fuzzSeed();
/** A fresh emulator every so many runs keeps its linear scans short. */
const EMULATOR_EPOCH = 300;


const envPlan = fc.record({
  countries: fc.constantFrom<string | undefined>(undefined, '*', '*', 'US,GB,FR', 'us, ca'),
  metered: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});

function allowedCountriesOf(env: string | undefined): string[] {
  const list = (env ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return list.length ? list : ['US'];
}

/** A request any honest client could send for a US mobile: it must be sent (or refused only by a send limit). */
function isCleanUsRequest(fields: Record<string, unknown>, plan: { extras: unknown[]; stuffing: number; headers: HeaderPlan }) {
  return (
    typeof fields.to === 'string' &&
    /^\+1415555\d{4}$/.test(fields.to) &&
    [undefined, 'sms', 'call', 'voice', 'whatsapp', 'rcs'].includes(fields.channel as string | undefined) &&
    (fields.locale === undefined || (VERIFY_LOCALES as readonly unknown[]).includes(fields.locale)) &&
    fields.country === undefined &&
    (fields.clientKey === undefined || (typeof fields.clientKey === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(fields.clientKey))) &&
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
      buildEvent({ friendlyName: 'Metered' }, { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }),
      tap,
    );
    if (created.status !== 201) throw new Error(`could not create the metered service: ${created.status} ${JSON.stringify(created.body)}`);
    meteredServiceSid = String((created.body as { sid: string }).sid);
  }

  it('the fixtures are what the generators claim (premium/toll-free/landline types)', () => {
    for (const n of PREMIUM_OR_TOLL_FREE) expect(['PREMIUM_RATE', 'TOLL_FREE']).toContain(parsePhoneNumberFromString(n)?.getType());
    for (const n of LANDLINES) expect(parsePhoneNumberFromString(n)?.getType()).toBe('FIXED_LINE');
  });

  it(`${NUM_RUNS} generated requests: no throw, no 5xx, contract shape, one log line, no send outside the policy, no leak`, async () => {
    const statuses = new Histogram();
    const outcomes = new Histogram();
    const violations = new ViolationLog();
    const prototypeBefore = prototypeSnapshot();
    let runs = 0;
    let sends = 0;
    let cleanRequests = 0;
    let handlerMs = 0;
    const started = performance.now();
    tap.install();
    try {
      await freshEmulator();
      tap.drain();
      await fc.assert(
        fc.asyncProperty(startPlan, envPlan, async (plan, env) => {
          runs += 1;
          if (runs % EMULATOR_EPOCH === 0) {
            await freshEmulator();
            tap.drain();
          }
          // Let send limits and the 10-minute buckets drain now and then.
          if (runs % 150 === 0) emulator.advanceClock(601);

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
          const found = contractViolations(answer, { route: 'start-verify', origin, allowedOrigins: ALLOWED_ORIGINS, preflight: plan.headers.preflight });

          // No code, no full destination, no token: per delivered message, and globally no long digit run.
          const secrets: Secret[] = baseSecrets();
          for (const m of delivered) {
            secrets.push({ kind: 'code', value: m.code });
            secrets.push(m.channel === 'email' ? { kind: 'email address', value: m.to } : { kind: 'phone number', value: digitsOf(m.to) });
          }
          found.push(...leakViolations(answer, secrets));
          if (hasLongDigitRun(answer)) found.push('leak: a run of 6+ digits in the response or log');

          // Sends happen only on success, exactly one, and only where the policy allows.
          const ok = answer.status === 200;
          if (ok) sends += 1;
          if (delivered.length !== (ok ? 1 : 0)) found.push(`${delivered.length} messages delivered for status ${answer.status}`);
          const allowed = allowedCountriesOf(env.countries);
          for (const m of delivered) {
            if (m.channel === 'email') continue;
            const phone = parsePhoneNumberFromString(m.to);
            if (!allowed.includes('*') && !allowed.includes(phone?.country ?? '?')) found.push('policy: sent outside ALLOWED_COUNTRIES');
            const type = phone?.getType();
            if (type && refusedTypes(m.channel).has(type)) found.push(`policy: sent ${m.channel} to a ${type} number`);
            // The visible tail of the masked form is the delivered number's own.
            const masked = (answer.body as { to?: string }).to ?? '';
            if (!masked.includes('*') || !m.to.endsWith(masked.replace(/^.*\*/, ''))) found.push('masked `to` does not belong to the delivered number');
          }

          // Valid input really runs: an honest US request is sent, or refused only by a send limit.
          if (isCleanUsRequest(plan.fields as Record<string, unknown>, plan)) {
            cleanRequests += 1;
            if (answer.status !== 200 && answer.status !== 429) found.push(`clean US request answered ${answer.status}`);
          }

          if (prototypePolluted(prototypeBefore)) found.push('Object.prototype polluted');

          statuses.add(answer.status);
          outcomes.add(answer.status === 204 ? 'preflight' : (answer.body as { ok?: boolean; error?: { code?: string } })?.ok ? 'ok' : String((answer.body as { error?: { code?: string } })?.error?.code));
          if (found.length) violations.add(found, { fields: plan.fields, extras: plan.extras, stuffing: plan.stuffing, headers, env });
        }),
        { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      tap.restore();
    }
    const elapsedMs = Math.round(performance.now() - started);
    const summary = { route: "start-verify", seed: SEED, runs, elapsedMs, handlerMs: Math.round(handlerMs), sends, cleanRequests, statuses: statuses.counts, outcomes: outcomes.counts, violations: violations.summary() };
    const file = writeSummary('hardening-fuzz-start-verify', summary);
    console.log(`fuzz start-verify: ${runs} inputs in ${elapsedMs} ms (seed ${SEED}) → ${file}\n${JSON.stringify(summary, null, 2)}`);

    expect(runs).toBe(NUM_RUNS);
    // Not vacuous: plenty of inputs reached Verify and were sent.
    expect(sends).toBeGreaterThan(NUM_RUNS * 0.05);
    expect(cleanRequests).toBeGreaterThan(100);
    expect(violations.summary()).toEqual({});
  }, 180_000);
});
