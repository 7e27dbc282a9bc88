// CORS at the handler level: the functions set it themselves (twilio-run would answer
// preflights with `*`, the hosted runtime not at all), for exactly ALLOWED_ORIGINS.
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { handler as createServiceHandler } from '../../functions/create-service';
import { handler as resendHandler } from '../../functions/resend-verify';
import { handler as statusHandler } from '../../functions/verification-status';
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { createEmulator, type Emulator } from '../../emulator';
import { handleFor } from './fuzz-runner';
import {
  ADMIN_TOKEN,
  buildEvent,
  callHandler,
  inProcessContext,
  LogTap,
  type Answer,
  type AnyHandler,
  type Route,
} from './support';

const ALLOWED = ['https://app.example.com', 'https://admin.example.com:8443'];
const DISALLOWED = [
  'https://evil.example.com',
  'https://app.example.com.evil.com',
  'https://evil-app.example.com',
  'http://app.example.com',
  'https://app.example.com:443',
  'https://app.example.com/',
  'https://APP.EXAMPLE.COM',
  'https://admin.example.com',
  'null',
  '',
  ' https://app.example.com',
];

let emulator: Emulator;
let opened = 0;
const tap = new LogTap();

const HANDLERS: Record<Route, unknown> = {
  'start-verify': startHandler,
  'check-verify': checkHandler,
  'create-service': createServiceHandler,
  'resend-verify': resendHandler,
  'verification-status': statusHandler,
  'cancel-verify': cancelHandler,
};
const UNKNOWN_SID = `VE${'0'.repeat(32)}`;

function context(env: Record<string, string | undefined> = {}) {
  const base = inProcessContext(emulator, { ALLOWED_ORIGINS: ALLOWED.join(','), ...env });
  return {
    ...base,
    getTwilioClient: () => {
      opened += 1;
      return base.getTwilioClient();
    },
  };
}

/** Requests per route that end in different statuses: success, validation error, auth error, 405. */
async function requests(
  route: Route,
): Promise<Array<{ label: string; params: Record<string, unknown>; headers: Record<string, string> }>> {
  const json = { 'content-type': 'application/json' };
  const admin = { ...json, authorization: `Bearer ${ADMIN_TOKEN}` };
  const common = [
    {
      label: '400',
      params: { to: 42, code: [], friendlyName: {} },
      headers: route === 'create-service' ? admin : json,
    },
    { label: '405 (no body)', params: {}, headers: {} },
  ];
  if (route === 'start-verify') return [{ label: '200', params: { to: '+14155552671' }, headers: json }, ...common];
  if (route === 'check-verify')
    return [
      { label: '404', params: { code: '123456', verification: handleFor(UNKNOWN_SID, '+14155552671') }, headers: json },
      ...common,
    ];
  if (route === 'resend-verify' || route === 'verification-status')
    return [
      { label: '404', params: { verification: handleFor(UNKNOWN_SID, '+14155552671') }, headers: json },
      ...common,
    ];
  if (route === 'cancel-verify')
    return [
      { label: '200', params: { verification: handleFor(UNKNOWN_SID, '+14155552671') }, headers: json },
      ...common,
    ];
  return [
    { label: '201', params: { friendlyName: 'Cors test' }, headers: admin },
    { label: '401', params: { friendlyName: 'x' }, headers: json },
    ...common,
  ];
}

const call = (
  route: Route,
  params: Record<string, unknown>,
  headers: Record<string, string>,
  env?: Record<string, string | undefined>,
): Promise<Answer> => callHandler(HANDLERS[route] as AnyHandler, context(env), buildEvent(params, headers), tap);

const corsHeaderNames = (answer: Answer) => Object.keys(answer.headers).filter((h) => /^access-control-/i.test(h));

beforeEach(() => {
  emulator = createEmulator();
  opened = 0;
  tap.install();
});
afterEach(() => tap.restore());

describe.each<Route>([
  'start-verify',
  'check-verify',
  'create-service',
  'resend-verify',
  'verification-status',
  'cancel-verify',
])('%s', (route) => {
  it.each(ALLOWED)(
    'allowed origin %s: echoed with Vary: Origin, never *, never credentials, on every status',
    async (origin) => {
      const seen: number[] = [];
      for (const { params, headers } of await requests(route)) {
        const answer = await call(route, params, { ...headers, origin });
        seen.push(answer.status);
        expect(answer.headers['Access-Control-Allow-Origin']).toBe(origin);
        expect(answer.headers.Vary).toMatch(/\bOrigin\b/);
        expect(Object.values(answer.headers)).not.toContain('*');
        expect(Object.keys(answer.headers).map((h) => h.toLowerCase())).not.toContain(
          'access-control-allow-credentials',
        );
      }
      expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
    },
  );

  it('disallowed origins get no CORS headers at all (and the request is still answered normally)', async () => {
    for (const origin of DISALLOWED) {
      for (const { params, headers } of await requests(route)) {
        const answer = await call(route, params, { ...headers, origin });
        expect({ origin, cors: corsHeaderNames(answer) }).toEqual({ origin, cors: [] });
        expect(answer.headers['Content-Type']).toBe('application/json');
      }
    }
  });

  it('no Origin header, or ALLOWED_ORIGINS unset: no CORS headers', async () => {
    for (const { params, headers } of await requests(route)) {
      expect(corsHeaderNames(await call(route, params, headers))).toEqual([]);
      expect(
        corsHeaderNames(await call(route, params, { ...headers, origin: ALLOWED[0] }, { ALLOWED_ORIGINS: undefined })),
      ).toEqual([]);
      expect(
        corsHeaderNames(await call(route, params, { ...headers, origin: ALLOWED[0] }, { ALLOWED_ORIGINS: '' })),
      ).toEqual([]);
    }
  });

  it('ALLOWED_ORIGINS=* is not a wildcard: real origins get no CORS headers', async () => {
    for (const origin of ['https://evil.example.com', ALLOWED[0]]) {
      const [first] = await requests(route);
      const answer = await call(route, first.params, { ...first.headers, origin }, { ALLOWED_ORIGINS: '*' });
      expect(corsHeaderNames(answer)).toEqual([]);
    }
  });

  it('preflight (Access-Control-Request-Method) from an allowed origin: 204 by the function, no body, no Verify call, no auth needed', async () => {
    const answer = await call(
      route,
      {},
      {
        origin: ALLOWED[0],
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    );
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
    expect(answer.headers['Access-Control-Allow-Origin']).toBe(ALLOWED[0]);
    expect(answer.headers['Access-Control-Allow-Methods']).toMatch(/\bPOST\b/);
    expect(answer.headers['Access-Control-Allow-Methods']).not.toMatch(/\b(PUT|DELETE|PATCH|\*)\b/);
    expect(answer.headers['Access-Control-Allow-Headers']?.toLowerCase()).toEqual(
      expect.stringContaining('content-type'),
    );
    expect(answer.headers['Access-Control-Allow-Headers']?.toLowerCase()).toEqual(
      expect.stringContaining('authorization'),
    );
    expect(answer.headers.Vary).toMatch(/\bOrigin\b/);
    expect(Object.keys(answer.headers).map((h) => h.toLowerCase())).not.toContain('access-control-allow-credentials');
    expect(opened).toBe(0);
    expect(answer.logs.map((l) => JSON.parse(l) as { status: number; outcome: string })).toEqual([
      expect.objectContaining({ status: 204, outcome: 'preflight' }),
    ]);
  });

  it('preflight from a disallowed origin: 204 without CORS headers (the browser then blocks the call)', async () => {
    const answer = await call(
      route,
      {},
      { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    );
    expect(answer.status).toBe(204);
    expect(corsHeaderNames(answer)).toEqual([]);
    expect(opened).toBe(0);
  });

  it('preflight with a body still counts as a preflight and never reaches Verify', async () => {
    const answer = await call(
      route,
      { to: '+14155552671', code: '123456', friendlyName: 'x' },
      {
        origin: ALLOWED[0],
        'content-type': 'application/json',
        'access-control-request-method': 'POST',
      },
    );
    expect(answer.status).toBe(204);
    expect(opened).toBe(0);
    expect(emulator.messages()).toEqual([]);
  });
});

describe('cross-site requests: CORS alone does not stop a browser from sending', () => {
  // A form-encoded POST is a "simple" request: a browser sends it from any website without a
  // preflight, and CORS only hides the answer. A hostile page can therefore make its visitors'
  // browsers trigger sends (from their own, residential IPs). Browsers always send `Origin`
  // with such a POST, so a disallowed Origin is the function's cue to refuse before Verify.
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it.each(['https://evil.example.com', 'null'])(
    'a form POST to /start-verify from origin %s sends no code',
    async (origin) => {
      const answer = await call('start-verify', { to: '+14155552671' }, { ...form, origin });
      expect({ status: answer.status, sent: emulator.messages().length }).toEqual({ status: 403, sent: 0 });
      expect(opened).toBe(0);
    },
  );

  it("control: the allowed origin, the deployment's own origin and non-browser callers (no Origin) are served", async () => {
    expect((await call('start-verify', { to: '+14155552671' }, { ...form, origin: ALLOWED[0] })).status).toBe(200);
    expect(
      (await call('start-verify', { to: '+14155552672' }, { ...form, origin: 'http://localhost:3000' })).status,
    ).toBe(200);
    expect((await call('start-verify', { to: '+14155552673' }, form)).status).toBe(200);
  });
});

describe("origins without a real host are never the deployment's own", () => {
  // Found by the fuzzers: `e:YJ` and "\r\nSet-Cookie: x=1" parse as URLs with an empty host,
  // which must not match an empty Host header.
  it.each(['e:YJ', '\r\nSet-Cookie: x=1', 'null', 'file://'])(
    'Origin %j with an empty Host is refused',
    async (origin) => {
      const answer = await call(
        'start-verify',
        { to: '+14155552674' },
        { 'content-type': 'application/json', origin, host: '' },
      );
      expect(answer.status).toBe(403);
      expect((answer.body as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    },
  );
});

describe("the deployment's own origin includes its scheme (attack round 2, A5)", () => {
  // Same host under the other scheme is another origin: deployed, http://<domain> is not the
  // https page; on loopback, https://127.0.0.1:PORT is not the local stack's http page.
  it.each([
    ['https://localhost:3000', 'localhost:3000', 403],
    ['http://localhost:3000', 'localhost:3000', 200],
    ['HTTP://localhost:3000/', 'localhost:3000', 200],
    ['http://verify.example.com', 'verify.example.com', 403],
    ['https://verify.example.com', 'verify.example.com', 200],
  ])('Origin %s with Host %s → %d', async (origin, host, status) => {
    const answer = await call(
      'start-verify',
      { to: `+1415555${String(2680 + status + origin.length).slice(-4)}` },
      { 'content-type': 'application/json', origin, host },
    );
    expect(answer.status).toBe(status);
  });
});
