// Property-based fuzzing of POST /create-service (admin), in-process against the emulator
// with the real twilio SDK: hostile bodies, every spelling of the Authorization header,
// ADMIN_TOKEN set or not. 10,000 generated requests per run (bounded by count).
import fc from 'fast-check';
import { handler } from '../../functions/create-service';
import { createEmulator, type Emulator } from '../../emulator';
import { createPlan, firstHeader, materializeHeaders, materializeParams } from './arbitraries';
import { fuzzRoute } from './fuzz-runner';
import {
  ADMIN_TOKEN,
  ALLOWED_ORIGINS,
  baseSecrets,
  buildEvent,
  callHandler,
  contractViolations,
  fuzzSeed,
  inProcessContext,
  leakViolations,
  LogTap,
  type AnyHandler,
} from './support';

const NUM_RUNS = 10_000;
const SEED = fuzzSeed();
const EMULATOR_EPOCH = 500;

/** What requireAdmin accepts: `Bearer <token>`, any case, surrounding blanks. */
const RIGHT_AUTH = new RegExp(`^Bearer\\s+${ADMIN_TOKEN}\\s*$`, 'i');

describe('fuzz: POST /create-service', () => {
  let emulator: Emulator;
  const tap = new LogTap();

  it(`${NUM_RUNS} generated requests: no throw, no 5xx, contract shape, closed without the token, no token in output`, async () => {
    let created = 0;
    const report = await fuzzRoute({
      route: 'create-service',
      numRuns: NUM_RUNS,
      seed: SEED,
      tap,
      arbitrary: fc.tuple(
        createPlan,
        fc.integer({ min: 0, max: 9 }).map((n) => n !== 0),
      ),
      epoch: { every: EMULATOR_EPOCH, fresh: () => void (emulator = createEmulator()) },
      counters: () => ({ created }),
      run: async ([plan, adminOn]) => {
        const headers = materializeHeaders(plan.headers);
        const params = materializeParams(plan.fields as Record<string, unknown>, plan);
        const context = inProcessContext(emulator, { ADMIN_TOKEN: adminOn ? ADMIN_TOKEN : undefined });
        const answer = await callHandler(handler as AnyHandler, context, buildEvent(params, headers), tap);

        const found = contractViolations(answer, {
          route: 'create-service',
          origin: firstHeader(headers.origin),
          allowedOrigins: ALLOWED_ORIGINS,
          preflight: plan.headers.preflight,
        });
        // The token (or most of it, from a near miss) never appears; neither do Twilio credentials.
        found.push(...leakViolations(answer, baseSecrets()));

        const auth = firstHeader(headers.authorization as string | string[] | undefined) ?? '';
        const authorized = adminOn && RIGHT_AUTH.test(auth);
        if (answer.status >= 200 && answer.status < 300 && answer.status !== 204 && !authorized)
          found.push('admin action without the right token');
        const error = (answer.body as { error?: { code?: string; field?: string; message?: string } } | undefined)
          ?.error;
        const code = error?.code;
        // Before the token is checked, only the generic size guard may answer: nothing about the fields.
        const sizeGuard =
          code === 'invalid_request' && error?.field === 'body' && /too large/.test(error?.message ?? '');
        // A foreign Origin is refused first (contractViolations checks that refusal exactly).
        const closedAnyway = code === 'origin_not_allowed';
        if (!adminOn && ![204, 405].includes(answer.status) && code !== 'admin_disabled' && !sizeGuard && !closedAnyway)
          found.push(`ADMIN_TOKEN unset but answered ${answer.status} ${String(code)}`);
        if (
          adminOn &&
          !authorized &&
          ![204, 405].includes(answer.status) &&
          code !== 'unauthorized' &&
          !sizeGuard &&
          !closedAnyway
        )
          found.push(`wrong token but answered ${answer.status} ${String(code)} (auth is checked before the body)`);
        if (answer.status === 201) created += 1;
        return {
          answer,
          found,
          input: { fields: plan.fields, extras: plan.extras, stuffing: plan.stuffing, headers, adminOn },
        };
      },
    });

    expect(report.runs).toBe(NUM_RUNS);
    expect(created).toBeGreaterThan(100);
    expect(report.statuses.get(200)).toBeGreaterThan(0);
    // The seed rides along so a failure reads FUZZ_SEED=… to replay it.
    expect({ seed: SEED, violations: report.violations }).toEqual({ seed: SEED, violations: {} });
  }, 180_000);
});
