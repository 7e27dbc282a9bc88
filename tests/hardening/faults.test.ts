// Fault injection through the emulator over HTTP: the functions run in-process in emulator
// mode (their own HTTP transport with VERIFY_TIMEOUT_MS), the emulator listens on a free
// loopback port, and faults are armed through its dev API (POST /emulator/v1/faults).
// Every function must answer JSON 502/504 (or the mapped code) within 9 s, and the next
// request must succeed.
import twilio from 'twilio';
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as createServiceHandler } from '../../functions/create-service';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  startEmulatorServer,
  type RunningEmulatorServer,
} from '../../emulator';
import {
  ADMIN_TOKEN,
  buildEvent,
  callHandler,
  contractViolations,
  digitsOf,
  leakViolations,
  LogTap,
  writeSummary,
  type Answer,
  type AnyHandler,
  type Route,
} from './support';

const TIMEOUT_MS = 1000;
const DEADLINE_MS = 9000;

let server: RunningEmulatorServer;
const tap = new LogTap();
const timings: Array<{
  route: Route;
  fault: string;
  status: number;
  code?: string;
  twilioCode?: number;
  ms: number;
  nextStatus: number;
}> = [];

function context(env: Record<string, string | undefined> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_EMULATOR_HOST: `127.0.0.1:${server.port}`,
    VERIFY_TIMEOUT_MS: String(TIMEOUT_MS),
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID,
    ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    ADMIN_TOKEN,
    // Dozens of sends to one prefix: the rate limits are not what this file tests.
    VERIFY_RATE_LIMITS: 'false',
    ...env,
    getTwilioClient: (opts?: Record<string, unknown>) => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, opts),
  };
}

async function devApi(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function armFault(spec: Record<string, unknown>): Promise<void> {
  const res = await devApi('POST', '/emulator/v1/faults', spec);
  if (res.status !== 201) throw new Error(`fault refused: ${res.status} ${JSON.stringify(res.json)}`);
}

const json = { 'content-type': 'application/json' };
const call = (
  handler: unknown,
  params: Record<string, unknown>,
  headers: Record<string, string> = json,
  env: Record<string, string | undefined> = {},
) => callHandler(handler as AnyHandler, context(env), buildEvent(params, headers), tap);

let numberCounter = 0;
/** A distinct US number per case, so per-number send limits never interfere. */
const freshNumber = () => `+1415555${String(1000 + numberCounter++).padStart(4, '0')}`;

function lastCode(to: string): string {
  const messages = server.emulator.messages({ to });
  if (messages.length === 0) throw new Error(`no code delivered to ${to}`);
  return messages[messages.length - 1].code;
}

interface Expected {
  status: number;
  code: string;
  twilioCode?: number;
  /** At least this long (the client timeout, not the runtime's, ended the wait). */
  minMs?: number;
}

interface FaultCase {
  name: string;
  spec: Record<string, unknown>;
  expect: Expected | ((route: Route) => Expected);
}

const unavailable = (twilioCode?: number): Expected => ({ status: 502, code: 'verify_unavailable', twilioCode });
const unknownCode = (code: number, status: number): FaultCase => ({
  name: `unknown Verify code ${code} (HTTP ${status})`,
  spec: { status, code, message: `Injected ${code}` },
  expect: { status: 502, code: 'verify_error', twilioCode: code },
});
const mapped = (code: number, status: number, to: Expected['code'], httpStatus: number): FaultCase => ({
  name: `mapped Verify code ${code}`,
  spec: { status, code },
  expect: { status: httpStatus, code: to, twilioCode: code },
});

const CASES: FaultCase[] = [
  { name: 'Twilio 500', spec: { status: 500 }, expect: unavailable(20500) },
  { name: 'Twilio 503', spec: { status: 503 }, expect: unavailable(20503) },
  {
    name: 'latency 3000 ms beyond the 1000 ms client timeout',
    spec: { delayMs: 3000 },
    expect: { status: 504, code: 'verify_timeout', minMs: TIMEOUT_MS * 0.9 },
  },
  { name: 'connection dropped', spec: { drop: true }, expect: unavailable() },
  {
    name: 'connection dropped after 2000 ms (timeout first)',
    spec: { delayMs: 2000, drop: true },
    expect: { status: 504, code: 'verify_timeout', minMs: TIMEOUT_MS * 0.9 },
  },
  { name: 'malformed JSON with HTTP 200', spec: { malformed: true }, expect: unavailable() },
  { name: 'malformed body with HTTP 502', spec: { malformed: true, status: 502 }, expect: unavailable() },
  unknownCode(60999, 400),
  unknownCode(60218, 400),
  unknownCode(60204, 403),
  unknownCode(60220, 400),
  unknownCode(60311, 400),
  unknownCode(21211, 400),
  unknownCode(60001, 418),
  mapped(60410, 403, 'destination_blocked', 403),
  mapped(60605, 403, 'destination_blocked', 403),
  mapped(60223, 400, 'channel_disabled', 403),
  mapped(60205, 400, 'landline_not_supported', 400),
  mapped(20429, 429, 'rate_limited', 429),
  mapped(60212, 429, 'rate_limited', 429),
  mapped(60203, 429, 'max_send_attempts', 429),
  mapped(60202, 429, 'max_check_attempts', 429),
  {
    name: 'Twilio 20404',
    spec: { status: 404, code: 20404 },
    // A missing verification is the caller's 404; a missing service is our configuration.
    expect: (route) =>
      route === 'check-verify'
        ? { status: 404, code: 'verification_not_found', twilioCode: 20404 }
        : { status: 500, code: 'server_misconfigured', twilioCode: 20404 },
  },
];

/** Per route: arm the fault on its first Verify call, make the request, then the next one. */
const ROUTES: Array<{
  route: Route;
  match: Record<string, string>;
  prepare(): Promise<{ faulted: () => Promise<Answer>; next: () => Promise<Answer>; secrets: string[] }>;
  nextOk(answer: Answer): boolean;
}> = [
  {
    route: 'start-verify',
    match: { method: 'POST', path: '/Verifications' },
    async prepare() {
      const to = freshNumber();
      return {
        faulted: () => call(startHandler, { to }),
        next: () => call(startHandler, { to }),
        secrets: [digitsOf(to)],
      };
    },
    nextOk: (a) => a.status === 200,
  },
  {
    route: 'check-verify',
    match: { method: 'POST', path: '/VerificationCheck' },
    async prepare() {
      const to = freshNumber();
      const sent = await call(startHandler, { to });
      if (sent.status !== 200) throw new Error(`set-up send failed: ${sent.status}`);
      const code = lastCode(to);
      const verification = String((sent.body as { verification: string }).verification);
      return {
        faulted: () => call(checkHandler, { code, verification }),
        next: () => call(checkHandler, { code, verification }),
        secrets: [code, digitsOf(to)],
      };
    },
    nextOk: (a) => a.status === 200 && (a.body as { status?: string }).status === 'approved',
  },
  {
    route: 'create-service',
    // The service create, after the list: a failure in the middle of the set-up flow.
    match: { method: 'POST', path: '/v2/Services' },
    async prepare() {
      const friendlyName = `Fault case ${String.fromCharCode(65 + (numberCounter++ % 26))}${String.fromCharCode(65 + (Math.floor(numberCounter / 26) % 26))}`;
      const admin = { ...json, authorization: `Bearer ${ADMIN_TOKEN}` };
      return {
        faulted: () => call(createServiceHandler, { friendlyName }, admin),
        next: () => call(createServiceHandler, { friendlyName }, admin),
        secrets: [ADMIN_TOKEN],
      };
    },
    // The faulted create made nothing: the retry creates it.
    nextOk: (a) => a.status === 201,
  },
];

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 });
  tap.install();
});

afterAll(async () => {
  tap.restore();
  await server?.close();
  const file = writeSummary('hardening-faults', { timeoutMs: TIMEOUT_MS, cases: timings });
  const worst = timings.reduce((max, t) => Math.max(max, t.ms), 0);
  // Printed only with FUZZ_VERBOSE=1, like the fuzz summaries (the file is always written).
  if (process.env['FUZZ_VERBOSE'] === '1')
    console.log(
      `fault injection: ${timings.length} faulted requests, slowest answer ${Math.round(worst)} ms → ${file}`,
    );
});

afterEach(async () => {
  await devApi('DELETE', '/emulator/v1/faults');
});

describe.each(ROUTES)('$route under injected Verify faults', ({ route, match, prepare, nextOk }) => {
  it.each(CASES)('$name', async ({ name, spec, expect: expected }) => {
    const want = typeof expected === 'function' ? expected(route) : expected;
    const { faulted, next, secrets } = await prepare();
    tap.drain();
    await armFault({ match, count: 1, ...spec });

    const answer = await faulted();
    const after = await next();
    const errorBody = (answer.body as { error?: { code?: string; twilioCode?: number } }).error;
    timings.push({
      route,
      fault: name,
      status: answer.status,
      code: errorBody?.code,
      twilioCode: errorBody?.twilioCode,
      ms: Math.round(answer.ms),
      nextStatus: after.status,
    });

    expect(
      contractViolations({ ...answer, logs: answer.logs }, { route, allowedOrigins: [], preflight: false }).filter(
        (v) => !v.startsWith('5xx'),
      ),
    ).toEqual([]);
    expect(
      leakViolations(
        answer,
        secrets.map((value) => ({ kind: 'code' as const, value })),
      ),
    ).toEqual([]);
    expect({ status: answer.status, code: errorBody?.code, twilioCode: errorBody?.twilioCode }).toEqual({
      status: want.status,
      code: want.code,
      twilioCode: want.twilioCode,
    });
    expect(answer.headers['Content-Type']).toBe('application/json');
    expect(answer.ms).toBeLessThan(DEADLINE_MS);
    if (want.minMs) expect(answer.ms).toBeGreaterThanOrEqual(want.minMs);
    if (route === 'start-verify' && (want.code === 'max_check_attempts' || want.code === 'max_send_attempts')) {
      // Verify's word on the destination itself until a known time (60202, 60203) is kept: the
      // next start is refused the same way without asking Verify (whose one-shot fault is spent
      // and would now answer 201).
      const refused = (after.body as { error?: { code?: string; retryAfter?: number } }).error;
      const first = (answer.body as { error?: { retryAfter?: number } }).error;
      expect([after.status, refused?.code]).toEqual([429, want.code]);
      expect(refused?.retryAfter).toBeLessThanOrEqual(first?.retryAfter ?? 0);
      return;
    }
    // The fault is spent and nothing is stuck: the next request succeeds.
    expect({ status: after.status, ok: nextOk(after) }).toEqual({ status: after.status, ok: true });
  });
});

describe('whole-request deadline', () => {
  // Both run at once (their faults match different paths) to keep the wall-clock cost at ~10 s.
  it('every function answers within 9 s: create-service with every Verify call slow but under the per-call timeout; start-verify with the default timeout and a hung Verify', async () => {
    // create-service makes ~11 sequential Verify calls (list, create, rate limits and buckets).
    // Each one here takes 900 ms, under the 1000 ms per-call timeout; the runtime kills a
    // function at 10 s, so the function itself must stop waiting before 9 s in total.
    await armFault({ match: { method: 'POST', path: '/Verifications' }, count: 1, delayMs: 12_000, drop: true });
    await armFault({ match: { path: '/v2/Services' }, count: 50, delayMs: 900 });
    const [slowSetup, hung] = await Promise.all([
      call(createServiceHandler, { friendlyName: 'Slow Verify' }, { ...json, authorization: `Bearer ${ADMIN_TOKEN}` }),
      call(startHandler, { to: freshNumber() }, json, { VERIFY_TIMEOUT_MS: undefined }),
    ]);
    const codeOf = (a: Answer) => (a.body as { error?: { code?: string } }).error?.code;
    timings.push({
      route: 'create-service',
      fault: 'every Verify call 900 ms (11 calls), timeout 1000 ms',
      status: slowSetup.status,
      code: codeOf(slowSetup),
      ms: Math.round(slowSetup.ms),
      nextStatus: -1,
    });
    timings.push({
      route: 'start-verify',
      fault: 'Verify hangs 12 s, default VERIFY_TIMEOUT_MS',
      status: hung.status,
      code: codeOf(hung),
      ms: Math.round(hung.ms),
      nextStatus: -1,
    });

    expect({ status: hung.status, code: codeOf(hung) }).toEqual({ status: 504, code: 'verify_timeout' });
    expect(hung.ms).toBeGreaterThanOrEqual(4500);
    expect(hung.ms).toBeLessThan(DEADLINE_MS);
    expect(slowSetup.headers['Content-Type']).toBe('application/json');
    // create-service, slow Verify: the whole request must end before the runtime's limit.
    expect(slowSetup.ms).toBeLessThan(DEADLINE_MS);
  }, 30_000);
});
