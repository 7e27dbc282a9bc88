// Property-based fuzzing of POST /check-verify, in-process against the emulator with the
// real twilio SDK. Part of the runs target real pending verifications (by SID or by number,
// with the right code, a wrong one, or another verification's SID), so approvals really run.
import fc from 'fast-check';
import twilio from 'twilio';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { handler } from '../../functions/check-verify';
import { createEmulator, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { checkPlan, firstHeader, isFriendlyOrigin, materializeHeaders, materializeParams, type CheckRecipe } from './arbitraries';
import {
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
  baseSecrets,
  prototypePolluted,
} from './support';

const NUM_RUNS = 10_000;
const SEED = fuzzSeed();
const EMULATOR_EPOCH = 300;

interface Live {
  sid: string;
  to: string;
  code: string;
}

describe('fuzz: POST /check-verify', () => {
  let emulator: Emulator;
  let nextNumber = 0;
  let client: ReturnType<typeof twilio>;
  let clientFor: Emulator | undefined;
  const tap = new LogTap();

  /** A new pending verification on a number never used in this emulator. */
  async function startLive(): Promise<Live> {
    const to = `+1202555${String(nextNumber++ % 10_000).padStart(4, '0')}`;
    if (clientFor !== emulator) {
      client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
      clientFor = emulator;
    }
    const verification = await client.verify.v2.services(EMULATOR_SERVICE_SID).verifications.create({ to, channel: 'sms' });
    const messages = emulator.messages({ to });
    return { sid: verification.sid, to, code: messages[messages.length - 1].code };
  }

  const wrongCode = (code: string) => String((Number(code[0]) + 1) % 10) + code.slice(1);
  const formatCode = (code: string, format: CheckRecipe['codeFormat']) =>
    format === 'spaced' ? `${code.slice(0, 3)} ${code.slice(3)}` : format === 'dashed' ? `${code.slice(0, 3)}-${code.slice(3)}` : code;

  it(`${NUM_RUNS} generated requests: no throw, no 5xx, contract shape, one log line, right code approves only its own verification, no leak`, async () => {
    const statuses = new Histogram();
    const outcomes = new Histogram();
    const recipes = new Histogram();
    const violations = new ViolationLog();
    const prototypeBefore = prototypeSnapshot();
    let runs = 0;
    let approvals = 0;
    const started = performance.now();
    tap.install();
    try {
      emulator = createEmulator();
      await fc.assert(
        fc.asyncProperty(checkPlan, fc.constantFrom<string | undefined>(undefined, '*'), async (plan, countries) => {
          runs += 1;
          if (runs % EMULATOR_EPOCH === 0) {
            emulator = createEmulator();
            nextNumber = 0;
          }
          const headers = materializeHeaders(plan.headers);
          const fields: Record<string, unknown> = { ...plan.fields };
          const secrets: Secret[] = baseSecrets();
          let live: Live | undefined;
          let other: Live | undefined;
          const recipe = plan.recipe;
          if (recipe) {
            live = await startLive();
            if (recipe.otherSid) other = await startLive();
            delete fields.to;
            delete fields.verificationSid;
            delete fields.country;
            fields.code = formatCode(recipe.rightCode ? live.code : wrongCode(live.code), recipe.codeFormat);
            const national = live.to.slice(2);
            if (recipe.target === 'sid') fields.verificationSid = (other ?? live).sid;
            else if (recipe.target === 'to') fields.to = live.to;
            else if (recipe.target === 'to-national') Object.assign(fields, { to: `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`, country: 'US' });
            else fields.to = ` ${live.to.slice(1)}`;
            if (recipe.target !== 'sid') other = undefined;
            for (const v of [live, other]) {
              if (!v) continue;
              secrets.push({ kind: 'code', value: v.code }, { kind: 'phone number', value: digitsOf(v.to) });
            }
          }
          // A number the caller typed must not come back whole either.
          if (typeof fields.to === 'string' && !fields.to.includes('@')) {
            const typed = parsePhoneNumberFromString(fields.to.trim(), { defaultCountry: typeof fields.country === 'string' ? (fields.country.toUpperCase() as never) : undefined });
            if (typed?.isValid()) secrets.push({ kind: 'phone number', value: digitsOf(typed.number) });
          }
          const params = materializeParams(fields, plan);
          const context = inProcessContext(emulator, { ALLOWED_COUNTRIES: countries });
          const answer = await callHandler(handler as AnyHandler, context, buildEvent(params, headers), tap);

          const found = contractViolations(answer, { route: 'check-verify', origin: firstHeader(headers.origin), allowedOrigins: ALLOWED_ORIGINS, preflight: plan.headers.preflight });
          found.push(...leakViolations(answer, secrets));
          if (hasLongDigitRun(answer)) found.push('leak: a run of 6+ digits in the response or log');

          const body = answer.body as { ok?: boolean; sid?: string; status?: string; error?: { code?: string } } | undefined;
          if (answer.status === 200) approvals += 1;
          // Approval is only ever for the verification whose code was given.
          if (answer.status === 200 && (!live || other || !recipe?.rightCode || body?.sid !== live.sid)) found.push('approved without the right code for that verification');
          const clean = recipe && plan.extras.length === 0 && plan.stuffing === 0 && !plan.headers.preflight && ['json', 'form'].includes(plan.headers.contentType) && isFriendlyOrigin(plan.headers);
          if (clean && live) {
            const label = `${recipe.target}/${recipe.rightCode ? 'right' : 'wrong'}${other ? '/other-sid' : ''}`;
            recipes.add(label);
            const expected = recipe.rightCode && !other ? 200 : 401;
            if (answer.status !== expected) found.push(`recipe ${label}: answered ${answer.status}, expected ${expected}`);
            if (expected === 401 && body?.status !== 'pending') found.push('incorrect_code without status pending');
          }

          if (prototypePolluted(prototypeBefore)) found.push('Object.prototype polluted');
          statuses.add(answer.status);
          outcomes.add(answer.status === 204 ? 'preflight' : body?.ok ? 'ok' : String(body?.error?.code));
          if (found.length) violations.add(found, { fields, recipe, extras: plan.extras, stuffing: plan.stuffing, headers, countries });
        }),
        { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
      );
    } finally {
      tap.restore();
    }
    const elapsedMs = Math.round(performance.now() - started);
    const summary = { route: 'check-verify', seed: SEED, runs, elapsedMs, approvals, recipes: recipes.counts, statuses: statuses.counts, outcomes: outcomes.counts, violations: violations.summary() };
    const file = writeSummary('hardening-fuzz-check-verify', summary);
    console.log(`fuzz check-verify: ${runs} inputs in ${elapsedMs} ms (seed ${SEED}) → ${file}\n${JSON.stringify(summary, null, 2)}`);

    expect(runs).toBe(NUM_RUNS);
    expect(approvals).toBeGreaterThan(NUM_RUNS * 0.05);
    expect(violations.summary()).toEqual({});
  }, 180_000);
});
