// The local stack (twilio-run + emulator, behind scripts/local-front.ts) answers what
// twilio-run used to turn into HTML stack traces, 500s and stuck runner processes with the
// project's JSON error shape; refuses `request[...]` parameters and methods a route does not
// take before any function runs; and serves the page at `/` as the hosted runtime does.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60000);
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.reset());

interface Answer {
  status: number;
  type: string;
  allow: string | null;
  text: string;
  json: { ok?: boolean; error?: { code?: string; message?: string; field?: string } } | undefined;
}

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${stack.baseUrl}${path}`, init);
  const text = await response.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    allow: response.headers.get('allow'),
    text,
    json,
  };
}

/** The project's error shape, and nothing that would leak the machine's insides. */
function expectJsonError(answer: Answer, status: number, code: string, field?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.type).toMatch(/^application\/json/);
  expect(answer.json).toEqual({ ok: false, error: { code, message: expect.any(String), ...(field ? { field } : {}) } });
  expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|<html/i);
}

/** A request exactly as written (fetch would normalise the path and refuses to set Host). */
function rawCall(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      `${stack.baseUrl}${path}`,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            allow: null,
            text,
            json: JSON.parse(text) as Answer['json'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('bodies twilio-run would answer with HTML and a stack trace', () => {
  test.each([
    ['malformed JSON', json('{"to": "+1415'), 'body'],
    ['a JSON scalar', json('"+14155552671"'), 'body'],
    ['a JSON array', json('["+14155552671"]'), 'body'],
    [
      'a charset other than UTF-8',
      json('{"to":"+14155552671"}', { 'content-type': 'application/json; charset=utf-16' }),
      'body',
    ],
    ['bogus gzip', json('not gzip at all', { 'content-encoding': 'gzip' }), 'body'],
    ['an unknown content encoding', json('{}', { 'content-encoding': 'br' }), 'body'],
  ])('%s → 400 invalid_request', async (_case, init, field) => {
    expectJsonError(await call('/start-verify', init), 400, 'invalid_request', field);
    expect(stack.emulator.messages()).toEqual([]);
  });

  // SECURITY §6: the admin routes check the token before the body, but the front's body checks
  // run before any function; their answers are the same for every route, so a caller without
  // the token learns nothing about the admin routes' parameters (found by a black-box attack).
  test.each([
    ['malformed JSON', '{'],
    ['a JSON scalar', '"x"'],
    ['invalid UTF-8', '{"friendlyName":"\xff"}'],
  ])('%s to an admin route without the token answers exactly what any route answers', async (_case, body) => {
    const init = (): RequestInit => json(new Uint8Array(Buffer.from(body, 'latin1')));
    const admin = await call('/create-service', init());
    const report = await call('/verification-report', init());
    const open = await call('/start-verify', init());
    expectJsonError(admin, 400, 'invalid_request', 'body');
    expect(admin.text).toBe(open.text);
    expect(report.text).toBe(open.text);
  });

  test('a body over the limit → 413 payload_too_large', async () => {
    const body = `to=%2B14155552671&pad=${'a'.repeat(6 * 1024 * 1024)}`;
    expectJsonError(
      await call('/start-verify', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      413,
      'payload_too_large',
      'body',
    );
  });

  test('real gzip is decoded and reaches the function', async () => {
    const body = gzipSync(JSON.stringify({ to: '+14155552671' }));
    const answer = await call('/start-verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    expect(answer.status).toBe(200);
    expect(stack.emulator.messages()).toHaveLength(1);
  });

  test('a body nested 50,000 levels → 400, and no runner process is left behind', async () => {
    const runnersBefore = runnerProcesses();
    const deep = `${'['.repeat(50000)}${']'.repeat(50000)}`;
    const deepObject = `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`;
    for (const body of [deep, deepObject, deep])
      expectJsonError(await call('/start-verify', json(body)), 400, 'invalid_request', 'body');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runnerProcesses()).toBeLessThanOrEqual(runnersBefore);
  });
});

/** Processes under this test's twilio-run (its forked function runners). */
function runnerProcesses(): number {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const children = (pid: number) => table.filter(([, ppid]) => ppid === pid).map(([child]) => child);
  return children(process.pid).flatMap(children).length;
}

describe('methods, per route', () => {
  test.each(['PUT', 'PATCH', 'DELETE', 'GET'])(
    '%s on a function → 405 with Allow, before the function runs',
    async (method) => {
      const init: RequestInit =
        method === 'GET'
          ? { method }
          : { method, headers: { 'content-type': 'application/json' }, body: '{"to":"+14155552671"}' };
      const answer = await call('/start-verify?to=%2B14155552671', init);
      expectJsonError(answer, 405, 'method_not_allowed');
      expect(answer.allow).toBe('POST, OPTIONS');
      expect(stack.emulator.messages()).toEqual([]);
    },
  );

  test('assets take GET and HEAD only', async () => {
    expect((await call('/index.html')).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/index.html`, { method: 'HEAD' })).status).toBe(200);
    const posted = await call('/index.html', json('{}'));
    expectJsonError(posted, 405, 'method_not_allowed');
    expect(posted.allow).toBe('GET, HEAD');
  });

  test('CORS preflights still reach the functions', async () => {
    const answer = await fetch(`${stack.baseUrl}/start-verify`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).not.toBe(405);
  });
});

describe('`request` parameters (they would replace the runtime’s header data)', () => {
  test.each([
    ['query, nested', '/start-verify?to=%2B14155552671&request[headers][content-type]=application/json', json('{}')],
    [
      'query, percent-encoded',
      '/start-verify?request%5Bheaders%5D%5Bauthorization%5D=Bearer%20x',
      json('{"to":"+14155552671"}'),
    ],
    ['query on a GET', '/start-verify?request=1', { method: 'POST' }],
    [
      'form body',
      '/start-verify',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'to=%2B14155552671&request[headers][authorization]=Bearer+x',
      },
    ],
    ['JSON body', '/create-service', json('{"friendlyName":"X","request":{"headers":{"authorization":"Bearer x"}}}')],
  ])('%s → 400 invalid_request on `request`', async (_case, path, init) => {
    expectJsonError(await call(path, init), 400, 'invalid_request', 'request');
    expect(stack.emulator.messages()).toEqual([]);
  });

  test('ordinary parameters still go through', async () => {
    const answer = await call('/start-verify', json('{"to":"+14155552671","requestId":"abc"}'));
    expect(answer.status).not.toBe(405);
    expect(answer.json?.error?.field).not.toBe('request');
  });
});

test('/jwks keeps its public Cache-Control without twilio-run’s Pragma/Expires (the hosted runtime sends neither); no-store answers are untouched', async () => {
  const jwks = await fetch(`${stack.baseUrl}/jwks`);
  expect(jwks.status).toBe(200);
  expect(jwks.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
  expect(jwks.headers.get('pragma')).toBeNull();
  expect(jwks.headers.get('expires')).toBeNull();
  const refused = await fetch(`${stack.baseUrl}/start-verify`, json('{}'));
  expect(refused.headers.get('cache-control')).not.toMatch(/public/);
});

test('`/` serves the page, as the hosted runtime does', async () => {
  const root = await call('/');
  expect(root.status).toBe(200);
  expect(root.type).toMatch(/^text\/html/);
  expect(root.text).toBe((await call('/index.html')).text);
});

/** Bytes as sent, to the front or straight to twilio-run (where the function answers on its own). */
async function send(
  base: 'front' | 'functions',
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await globalThis.fetch(`${base === 'front' ? stack.baseUrl : stack.functionsUrl}${path}`, {
    method: 'POST',
    headers,
    // Bytes, not a string: fetch adds no Content-Type of its own to them.
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    allow: null,
    text,
    json: JSON.parse(text) as Answer['json'],
  };
}

// Each case twice: the front sees the raw bytes; the function (behind it, or hosted) sees what
// the runtime made of them (U+FFFD for bytes that are not UTF-8, one form key for JSON text).
describe.each(['front', 'functions'] as const)('bodies that would not reach the function as sent (%s)', (base) => {
  const notUtf8 = Buffer.concat([Buffer.from('{"to":"+1415555'), Buffer.from([0xff, 0xfe]), Buffer.from('2671"}')]);

  test('a JSON body with invalid UTF-8 → 400 invalid_request on `body`, nothing sent', async () => {
    const answer = await send(base, '/start-verify', notUtf8, { 'content-type': 'application/json' });
    expectJsonError(answer, 400, 'invalid_request', 'body');
    expect(answer.json?.error?.message).toBe('The body is not valid UTF-8.');
    expect(stack.emulator.messages()).toEqual([]);
  });

  test('a form body whose escapes are not UTF-8 (to=%FF…) → 400 on `body`', async () => {
    const answer = await send(base, '/start-verify', 'to=%2B1415555%FF2671', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectJsonError(answer, 400, 'invalid_request', 'body');
    expect(answer.json?.error?.message).toBe('The body is not valid UTF-8.');
  });

  test('JSON sent without a Content-Type says to add `Content-Type: application/json`', async () => {
    // curl -H 'Content-Type:' --data-binary …, or a client that sets none.
    const answer = await send(base, '/start-verify', Buffer.from('{"to":"+14155552671"}'), {});
    expectJsonError(answer, 400, 'invalid_request', 'body');
    expect(answer.json?.error?.message).toMatch(/no Content-Type.*`Content-Type: application\/json`/);
  });

  test('JSON sent as text/plain (fetch with a string body) says so', async () => {
    const answer = await send(base, '/start-verify', '{"to":"+14155552671"}', {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expectJsonError(answer, 400, 'invalid_request', 'body');
    expect(answer.json?.error?.message).toContain('A text/plain body is not read');
  });

  test('JSON sent as a form (curl -d without -H) says so', async () => {
    const answer = await send(base, '/start-verify', '{"to":"+14155552671"}', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectJsonError(answer, 400, 'invalid_request', 'body');
    expect(answer.json?.error?.message).toMatch(/looks like JSON.*`Content-Type: application\/json`/);
    expect(stack.emulator.messages()).toEqual([]);
  });
});

// Cases found by a black-box attack on `npm start` (each got past the front before).
describe('what the front refuses beyond the plain cases', () => {
  const form = (body: string, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });

  test.each([
    [
      'a bracket-first key',
      '/start-verify?[request][headers][content-type]=application/x-www-form-urlencoded&[request][cookies][a]=b',
    ],
    [
      'a percent-encoded bracket-first key',
      '/start-verify?%5Brequest%5D%5Bheaders%5D%5Bcontent-type%5D=application/json&%5Brequest%5D%5Bcookies%5D%5Bx%5D=1',
    ],
  ])(
    '%s naming `request` in the query → 400 on `request`, no code sent even from a hostile page',
    async (_case, path) => {
      expectJsonError(
        await call(path, form('to=%2B14155552671', { origin: 'https://evil.example' })),
        400,
        'invalid_request',
        'request',
      );
      expect(stack.emulator.messages()).toEqual([]);
    },
  );

  test.each(['__proto__', 'constructor', 'prototype'])(
    'a `%s[…]` query key is named, not silently dropped',
    async (name) => {
      expectJsonError(await call(`/start-verify?${name}[to]=%2B14155552671`, json('{}')), 400, 'invalid_request', name);
    },
  );

  it('a form body with more fields than body-parser takes → JSON 400, not an HTML 413 with a stack', async () => {
    const body = Array.from({ length: 1001 }, (_, i) => `k${i}=`).join('&');
    expectJsonError(await call('/check-verify', form(body)), 400, 'invalid_request', 'body');
  });

  test.each(['/start-verify%', '/%ff'])(
    'a path that is not valid percent-encoding (%s) → JSON 400 on `path`',
    async (path) => {
      const answer = await rawCall(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expectJsonError(answer, 400, 'invalid_request', 'path');
    },
  );

  test.each(['/no-such-route', '//start-verify'])(
    'an unknown route (%s) → JSON 404, not an HTML page or another route',
    async (path) => {
      expectJsonError(await call(path, json('{"to":"+14155552671"}')), 404, 'not_found', 'path');
      expect(stack.emulator.messages()).toEqual([]);
    },
  );

  it('a Host other than its own loopback name and port (DNS rebinding, a forged token issuer) → 421', async () => {
    const port = new URL(stack.baseUrl).port;
    const answer = await rawCall('/jwks', { headers: { host: `attacker.example:${port}` } });
    expectJsonError(answer, 421, 'invalid_request', 'host');
    expect((await call('/jwks')).status).toBe(200);
  });
});
