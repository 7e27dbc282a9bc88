// The admin surface (POST /create-service): closed unless ADMIN_TOKEN is set, constant-time
// token comparison, auth before anything else, and the token never in a response or a log.
import twilio from 'twilio';
import { handler as createServiceHandler } from '../../functions/create-service';
import { handler as startHandler } from '../../functions/start-verify';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SYNC_SERVICE_SID, type Emulator } from '../../emulator';
import { createProjectEmulator } from '../support/project-emulator';
import { safeEqual } from '../../src/http/admin-auth';
import {
  ADMIN_TOKEN,
  buildEvent,
  callHandler,
  contractViolations,
  LogTap,
  observableText,
  type Answer,
  type AnyHandler,
} from './support';

// The very module object admin-auth calls into (a namespace import would be a copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeCrypto = require('node:crypto') as typeof import('node:crypto');

let emulator: Emulator;
let clientsOpened = 0;
const tap = new LogTap();

function context(env: Record<string, string | undefined>) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID,
    ...env,
    getTwilioClient: () => {
      clientsOpened += 1;
      return twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
    },
  };
}

async function createService(
  authorization: string | string[] | undefined,
  env: Record<string, string | undefined>,
  params: Record<string, unknown> = { friendlyName: 'Admin test' },
): Promise<Answer> {
  const headers: Record<string, unknown> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return callHandler(createServiceHandler as AnyHandler, context(env), buildEvent(params, headers), tap);
}

/** Every answer: contract shape, and neither the configured token nor the presented one in any output. */
function expectNoTokenLeak(answer: Answer, presented?: string | string[]) {
  const text = observableText(answer);
  expect(text).not.toContain(ADMIN_TOKEN);
  expect(text).not.toContain(ADMIN_TOKEN.slice(4, 20));
  for (const value of [presented ?? []].flat()) {
    const token = value.replace(/^\s*\S+\s+/, '').trim();
    if (token.length >= 8) expect(text).not.toContain(token);
  }
}

beforeEach(() => {
  emulator = createProjectEmulator();
  clientsOpened = 0;
  tap.install();
});
afterEach(() => tap.restore());

const WRONG: Array<[string, string | string[]]> = [
  ['no scheme', ADMIN_TOKEN],
  ['Basic scheme', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
  ['one character short', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
  ['one character more', `Bearer ${ADMIN_TOKEN}0`],
  ['last character changed', `Bearer ${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('0') ? '1' : '0'}`],
  ['upper-cased token', `Bearer ${ADMIN_TOKEN.toUpperCase()}`],
  ['token twice', `Bearer ${ADMIN_TOKEN}${ADMIN_TOKEN}`],
  ['empty bearer', 'Bearer '],
  ['bare scheme', 'Bearer'],
  ['empty header', ''],
  ['10 KB token', `Bearer ${'x'.repeat(10_240)}`],
  ['NUL byte', `Bearer ${ADMIN_TOKEN}\u0000`],
  ['unicode token', 'Bearer 🔑🔑🔑🔑🔑🔑🔑🔑'],
  ['wrong token first of two headers', ['Bearer nope-nope-nope', `Bearer ${ADMIN_TOKEN}`]],
];

describe('ADMIN_TOKEN unset: the admin route is closed', () => {
  it.each([
    ['unset', undefined],
    ['blank', ''],
    ['white space', '   '],
  ])('ADMIN_TOKEN %s → 403 admin_disabled for any Authorization, without touching Verify', async (_label, token) => {
    for (const authorization of [
      undefined,
      `Bearer ${ADMIN_TOKEN}`,
      'Bearer ',
      'Bearer undefined',
      'Bearer    ',
      'Bearer null',
    ]) {
      const answer = await createService(authorization, { ADMIN_TOKEN: token });
      expect({
        authorization,
        status: answer.status,
        code: (answer.body as { error?: { code?: string } }).error?.code,
      }).toEqual({ authorization, status: 403, code: 'admin_disabled' });
      expect(contractViolations(answer, { route: 'create-service', allowedOrigins: [], preflight: false })).toEqual([]);
      expectNoTokenLeak(answer, authorization);
    }
    expect(clientsOpened).toBe(0);
    expect(emulator.messages()).toEqual([]);
  });
});

describe('ADMIN_TOKEN set', () => {
  it.each(WRONG)('%s → 401 with WWW-Authenticate, no Verify call, nothing leaked', async (_label, authorization) => {
    const answer = await createService(authorization, { ADMIN_TOKEN });
    expect(answer.status).toBe(401);
    expect((answer.body as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(answer.headers['WWW-Authenticate']).toBe('Bearer');
    expect(contractViolations(answer, { route: 'create-service', allowedOrigins: [], preflight: false })).toEqual([]);
    expectNoTokenLeak(answer, authorization);
    expect(clientsOpened).toBe(0);
  });

  it('the token is checked before the body: a wrong token with an invalid body is 401, not 400 naming fields', async () => {
    for (const params of [{}, { friendlyName: 42 }, { ttl: 600 }, { friendlyName: 'x'.repeat(31) }]) {
      const answer = await createService('Bearer wrong-token-0000', { ADMIN_TOKEN }, params);
      expect(answer.status).toBe(401);
      expect((answer.body as { error: { field?: string } }).error.field).toBeUndefined();
    }
  });

  it.each([
    ['Bearer <token>', `Bearer ${ADMIN_TOKEN}`],
    ['lower-case scheme', `bearer ${ADMIN_TOKEN}`],
    ['extra blanks', `Bearer    ${ADMIN_TOKEN}   `],
    ['right token first of two headers', [`Bearer ${ADMIN_TOKEN}`, 'Bearer nope']],
  ])('%s is accepted, and the token appears in no output', async (_label, authorization) => {
    const answer = await createService(authorization, { ADMIN_TOKEN });
    // A fresh emulator has no service of that name: it is created.
    expect(answer.status).toBe(201);
    expect(contractViolations(answer, { route: 'create-service', allowedOrigins: [], preflight: false })).toEqual([]);
    expectNoTokenLeak(answer, authorization);
  });

  it('other routes never echo an Authorization header or the admin token', async () => {
    const answer = await callHandler(
      startHandler as AnyHandler,
      context({ ADMIN_TOKEN, VERIFY_SERVICE_SID: emulator.serviceSid }),
      buildEvent(
        { to: '+14155552671' },
        { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      ),
      tap,
    );
    expect(answer.status).toBe(200);
    expectNoTokenLeak(answer, `Bearer ${ADMIN_TOKEN}`);
  });
});

describe('constant-time comparison', () => {
  it('safeEqual: equal strings match; any difference, including length, does not, and nothing throws', () => {
    expect(safeEqual(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
    expect(safeEqual('é', 'é')).toBe(true);
    for (const other of [
      ADMIN_TOKEN.slice(0, -1),
      `${ADMIN_TOKEN}x`,
      '',
      'x'.repeat(100_000),
      ADMIN_TOKEN.toUpperCase(),
      'e\u0301',
    ]) {
      expect(() => safeEqual(ADMIN_TOKEN, other)).not.toThrow();
      expect(safeEqual(ADMIN_TOKEN, other)).toBe(false);
    }
    expect(safeEqual('é', 'e\u0301')).toBe(false);
  });

  it('every comparison goes through crypto.timingSafeEqual on two equal-length digests, whatever the lengths given', async () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    try {
      for (const presented of [
        'short',
        ADMIN_TOKEN.slice(0, -1),
        `${ADMIN_TOKEN}${ADMIN_TOKEN}`,
        'x'.repeat(10_000),
        ADMIN_TOKEN,
      ]) {
        spy.mockClear();
        const answer = await createService(`Bearer ${presented}`, { ADMIN_TOKEN });
        expect(answer.status).toBe(presented === ADMIN_TOKEN ? 201 : 401);
        // Refused: exactly our comparison. Accepted: ours first, then the emulator's own auth checks.
        if (presented === ADMIN_TOKEN) expect(spy.mock.calls.length).toBeGreaterThanOrEqual(1);
        else expect(spy).toHaveBeenCalledTimes(1);
        const [a, b] = spy.mock.calls[0];
        expect(a.byteLength).toBe(b.byteLength);
        expect(a.byteLength).toBeGreaterThanOrEqual(32);
        // The buffers are digests, not the raw token bytes.
        expect(Buffer.from(a as Uint8Array).toString('utf8')).not.toContain(presented.slice(0, 8));
        expect(Buffer.from(b as Uint8Array).toString('utf8')).not.toContain(ADMIN_TOKEN.slice(0, 8));
      }
    } finally {
      spy.mockRestore();
    }
  });
});
