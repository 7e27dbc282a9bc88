// The local stack (twilio-run + emulator, behind scripts/local-front.ts) answers what
// twilio-run used to turn into HTML stack traces, 500s and stuck runner processes with the
// project's JSON error shape; refuses `request[...]` parameters and methods a route does not
// take before any function runs; and serves the page at `/` as the hosted runtime does.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { execFileSync } from 'node:child_process';
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
  return { status: response.status, type: response.headers.get('content-type') ?? '', allow: response.headers.get('allow'), text, json };
}

/** The project's error shape, and nothing that would leak the machine's insides. */
function expectJsonError(answer: Answer, status: number, code: string, field?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.type).toMatch(/^application\/json/);
  expect(answer.json).toEqual({ ok: false, error: { code, message: expect.any(String), ...(field ? { field } : {}) } });
  expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|<html/i);
}

const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('bodies twilio-run would answer with HTML and a stack trace', () => {
  test.each([
    ['malformed JSON', json('{"to": "+1415'), 'body'],
    ['a JSON scalar', json('"+14155552671"'), 'body'],
    ['a JSON array', json('["+14155552671"]'), 'body'],
    ['a charset other than UTF-8', json('{"to":"+14155552671"}', { 'content-type': 'application/json; charset=utf-16' }), 'body'],
    ['bogus gzip', json('not gzip at all', { 'content-encoding': 'gzip' }), 'body'],
    ['an unknown content encoding', json('{}', { 'content-encoding': 'br' }), 'body'],
  ])('%s → 400 invalid_request', async (_case, init, field) => {
    expectJsonError(await call('/start-verify', init), 400, 'invalid_request', field);
    expect(stack.emulator.messages()).toEqual([]);
  });

  test('a body over the limit → 413 payload_too_large', async () => {
    const body = `to=%2B14155552671&pad=${'a'.repeat(6 * 1024 * 1024)}`;
    expectJsonError(await call('/start-verify', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), 413, 'payload_too_large', 'body');
  });

  test('real gzip is decoded and reaches the function', async () => {
    const body = gzipSync(JSON.stringify({ to: '+14155552671' }));
    const answer = await call('/start-verify', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
    expect(answer.status).toBe(200);
    expect(stack.emulator.messages()).toHaveLength(1);
  });

  test('a body nested 50,000 levels → 400, and no runner process is left behind', async () => {
    const runnersBefore = runnerProcesses();
    const deep = `${'['.repeat(50000)}${']'.repeat(50000)}`;
    const deepObject = `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`;
    for (const body of [deep, deepObject, deep]) expectJsonError(await call('/start-verify', json(body)), 400, 'invalid_request', 'body');
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
  test.each(['PUT', 'PATCH', 'DELETE', 'GET'])('%s on a function → 405 with Allow, before the function runs', async (method) => {
    const init: RequestInit = method === 'GET' ? { method } : { method, headers: { 'content-type': 'application/json' }, body: '{"to":"+14155552671"}' };
    const answer = await call('/start-verify?to=%2B14155552671', init);
    expectJsonError(answer, 405, 'method_not_allowed');
    expect(answer.allow).toBe('POST, OPTIONS');
    expect(stack.emulator.messages()).toEqual([]);
  });

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
    ['query, percent-encoded', '/start-verify?request%5Bheaders%5D%5Bauthorization%5D=Bearer%20x', json('{"to":"+14155552671"}')],
    ['query on a GET', '/start-verify?request=1', { method: 'POST' }],
    ['form body', '/start-verify', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'to=%2B14155552671&request[headers][authorization]=Bearer+x' }],
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

test('`/` serves the page, as the hosted runtime does', async () => {
  const root = await call('/');
  expect(root.status).toBe(200);
  expect(root.type).toMatch(/^text\/html/);
  expect(root.text).toBe((await call('/index.html')).text);
});
