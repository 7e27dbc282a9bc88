// Property-based fuzzing of POST /check-verify, in-process against the emulator with the
// real twilio SDK. Part of the runs target real pending verifications (by SID or by number,
// with the right code, a wrong one, or another verification's SID), so approvals really run.
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { handler } from '../../functions/check-verify';
import { createEmulator, type Emulator } from '../../emulator';
import {
  checkPlan,
  firstHeader,
  isFriendlyOrigin,
  materializeHeaders,
  materializeParams,
  type CheckRecipe,
} from './arbitraries';
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
  type AnyHandler,
  type Secret,
  fuzzSeed,
  baseSecrets,
} from './support';
import { fuzzRoute, liveVerifications, type Live } from './fuzz-runner';

const NUM_RUNS = 10_000;
const SEED = fuzzSeed();
const EMULATOR_EPOCH = 300;

describe('fuzz: POST /check-verify', () => {
  let emulator: Emulator;
  let nextNumber = 0;
  const tap = new LogTap();
  const verifications = liveVerifications(() => emulator);
  /** A new pending verification on a number never used in this emulator. */
  const startLive = () => verifications.start(`+1202555${String(nextNumber++ % 10_000).padStart(4, '0')}`);

  const wrongCode = (code: string) => String((Number(code[0]) + 1) % 10) + code.slice(1);
  const formatCode = (code: string, format: CheckRecipe['codeFormat']) =>
    format === 'spaced'
      ? `${code.slice(0, 3)} ${code.slice(3)}`
      : format === 'dashed'
        ? `${code.slice(0, 3)}-${code.slice(3)}`
        : code;

  it(`${NUM_RUNS} generated requests: no throw, no 5xx, contract shape, one log line, right code approves only its own verification, no leak`, async () => {
    const recipes = new Histogram();
    let approvals = 0;
    const report = await fuzzRoute({
      route: 'check-verify',
      numRuns: NUM_RUNS,
      seed: SEED,
      tap,
      arbitrary: fc.tuple(checkPlan, fc.constantFrom<string | undefined>(undefined, '*')),
      epoch: {
        every: EMULATOR_EPOCH,
        fresh: () => {
          emulator = createEmulator();
          nextNumber = 0;
        },
      },
      counters: () => ({ approvals, recipes: recipes.counts }),
      run: async ([plan, countries]) => {
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
          delete fields.verification;
          delete fields.country;
          fields.code = formatCode(recipe.rightCode ? live.code : wrongCode(live.code), recipe.codeFormat);
          const national = live.to.slice(2);
          if (recipe.target === 'sid') fields.verification = (other ?? live).handle;
          else if (recipe.target === 'to') fields.to = live.to;
          else if (recipe.target === 'to-national')
            Object.assign(fields, {
              to: `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`,
              country: 'US',
            });
          else fields.to = ` ${live.to.slice(1)}`;
          if (recipe.target !== 'sid') other = undefined;
          for (const v of [live, other]) {
            if (!v) continue;
            secrets.push({ kind: 'code', value: v.code }, { kind: 'phone number', value: digitsOf(v.to) });
          }
        }
        // A number the caller typed must not come back whole either.
        if (typeof fields.to === 'string' && !fields.to.includes('@')) {
          const typed = parsePhoneNumberFromString(fields.to.trim(), {
            defaultCountry: typeof fields.country === 'string' ? (fields.country.toUpperCase() as never) : undefined,
          });
          if (typed?.isValid()) secrets.push({ kind: 'phone number', value: digitsOf(typed.number) });
        }
        const params = materializeParams(fields, plan);
        // CHECK_BY_TO on: the by-number recipes exercise the operator's opt-in path.
        const context = inProcessContext(emulator, { ALLOWED_COUNTRIES: countries, CHECK_BY_TO: 'true' });
        const answer = await callHandler(handler as AnyHandler, context, buildEvent(params, headers), tap);

        const found = contractViolations(answer, {
          route: 'check-verify',
          origin: firstHeader(headers.origin),
          allowedOrigins: ALLOWED_ORIGINS,
          preflight: plan.headers.preflight,
        });
        found.push(...leakViolations(answer, secrets));
        if (hasLongDigitRun(answer)) found.push('leak: a run of 6+ digits in the response or log');

        const body = answer.body as
          | { ok?: boolean; to?: string; status?: string; error?: { code?: string } }
          | undefined;
        if (answer.status === 200) approvals += 1;
        // Approval is only ever for the verification whose code was given.
        if (
          answer.status === 200 &&
          (!live || other || !recipe?.rightCode || body?.to !== `+1******${live.to.slice(-4)}`)
        )
          found.push('approved without the right code for that verification');
        const clean =
          recipe &&
          plan.extras.length === 0 &&
          plan.stuffing === 0 &&
          !plan.headers.preflight &&
          ['json', 'form'].includes(plan.headers.contentType) &&
          isFriendlyOrigin(plan.headers);
        if (clean && live) {
          const label = `${recipe.target}/${recipe.rightCode ? 'right' : 'wrong'}${other ? '/other-sid' : ''}`;
          recipes.add(label);
          const expected = recipe.rightCode && !other ? 200 : 401;
          if (answer.status !== expected)
            found.push(`recipe ${label}: answered ${answer.status}, expected ${expected}`);
          if (expected === 401 && body?.status !== 'pending') found.push('incorrect_code without status pending');
        }
        return {
          answer,
          found,
          input: { fields, recipe, extras: plan.extras, stuffing: plan.stuffing, headers, countries },
        };
      },
    });

    expect(report.runs).toBe(NUM_RUNS);
    expect(approvals).toBeGreaterThan(NUM_RUNS * 0.05);
    // The seed rides along so a failure reads FUZZ_SEED=… to replay it.
    expect({ seed: SEED, violations: report.violations }).toEqual({ seed: SEED, violations: {} });
  }, 180_000);
});
