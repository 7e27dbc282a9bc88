// The emulator over a real socket: the twilio SDK through a tiny node:http httpClient,
// the developer API (messages, reset, clock, faults) and the inbox page.
import { request as httpRequest } from 'node:http';
import twilio from 'twilio';
import RestException from 'twilio/lib/base/RestException';
import type RequestClient from 'twilio/lib/base/RequestClient';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  isLoopbackHost,
  startEmulatorServer,
  type HttpClientRequestOptions,
  type RunningEmulatorServer,
} from '../../emulator';
import { expectTwilioError, rejection } from './support';

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP exchange over node:http; rejects on socket errors (that is what a drop looks like). */
function httpCall(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const request = httpRequest(
      new URL(path, base),
      { method, headers: { ...options.headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers))
            if (typeof value === 'string') headers[name] = value;
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const json = (base: string, method: string, path: string, value?: unknown) =>
  httpCall(
    base,
    method,
    path,
    value === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) },
  );

/** The smallest httpClient the SDK accepts: forwards verify.twilio.com calls to the emulator's socket. */
function httpClientTo(base: string): RequestClient {
  const client = {
    request(options: HttpClientRequestOptions) {
      const target = new URL(options.uri);
      for (const [key, value] of Object.entries(options.params ?? {})) target.searchParams.append(key, String(value));
      const body = new URLSearchParams(
        Object.entries(options.data ?? {}).map(([key, value]) => [key, String(value)]),
      ).toString();
      const auth = Buffer.from(`${options.username}:${options.password}`).toString('base64');
      return httpCall(base, options.method.toUpperCase(), target.pathname + target.search, {
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }).then((answer) => ({ statusCode: answer.status, body: answer.body, headers: answer.headers }));
    },
  };
  return client as unknown as RequestClient;
}

let server: RunningEmulatorServer;
let base: string;
const TO = '+15005550006';
const sdk = (authToken = EMULATOR_AUTH_TOKEN) =>
  twilio(EMULATOR_ACCOUNT_SID, authToken, { httpClient: httpClientTo(base) });
const verifyService = () => sdk().verify.v2.services(EMULATOR_SERVICE_SID);

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0 });
  base = server.url;
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await json(base, 'POST', '/emulator/v1/reset')).status).toBe(200);
});

describe('the SDK over HTTP', () => {
  test('binds 127.0.0.1 on a free port', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  test('start, read the code from /emulator/v1/messages, check: approved', async () => {
    const verification = await verifyService().verifications.create({ to: TO, channel: 'sms' });
    const inbox = JSON.parse(
      (await httpCall(base, 'GET', `/emulator/v1/messages?to=${encodeURIComponent(TO)}`)).body,
    ) as {
      messages: { code: string; verificationSid: string; body: string }[];
    };
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0]?.verificationSid).toBe(verification.sid);
    const check = await verifyService().verificationChecks.create({ to: TO, code: inbox.messages[0]?.code ?? '' });
    expect(check).toMatchObject({ status: 'approved', valid: true });
  });

  test('shares one state with the in-process client of the same emulator', async () => {
    const inProcess = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: server.emulator.httpClient });
    const created = await inProcess.verify.v2.services.create({ friendlyName: 'Shared' });
    expect((await sdk().verify.v2.services(created.sid).fetch()).friendlyName).toBe('Shared');
  });

  test('wrong credentials are 20003 (401); lifecycle errors keep their codes over the wire', async () => {
    await expectTwilioError(sdk('f'.repeat(32)).verify.v2.services.list(), 20003, 401);
    await verifyService().verifications.create({ to: TO, channel: 'sms' });
    const statuses = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await verifyService().verificationChecks.create({ to: TO, code: '0000000' })).status);
    expect(statuses.at(-1)).toBe('max_attempts_reached');
    await expectTwilioError(verifyService().verificationChecks.create({ to: TO, code: '000000' }), 60202, 429);
  });
});

describe('developer API', () => {
  test('health names the account and the seeded services', async () => {
    expect(JSON.parse((await httpCall(base, 'GET', '/emulator/v1/health')).body)).toEqual({
      ok: true,
      accountSid: EMULATOR_ACCOUNT_SID,
      serviceSid: EMULATOR_SERVICE_SID,
      syncServiceSid: EMULATOR_SYNC_SERVICE_SID,
    });
  });

  test('messages: newest last, filtered by ?to=, emptied by reset', async () => {
    await verifyService().verifications.create({ to: TO, channel: 'sms' });
    await verifyService().verifications.create({ to: 'someone@example.com', channel: 'email' });
    const all = JSON.parse((await httpCall(base, 'GET', '/emulator/v1/messages')).body) as {
      messages: { to: string; channel: string }[];
    };
    expect(all.messages.map((message) => message.channel)).toEqual(['sms', 'email']);
    const mine = JSON.parse((await httpCall(base, 'GET', '/emulator/v1/messages?to=someone%40example.com')).body) as {
      messages: unknown[];
    };
    expect(mine.messages).toHaveLength(1);

    expect(JSON.parse((await json(base, 'POST', '/emulator/v1/reset')).body)).toEqual({ ok: true });
    expect(JSON.parse((await httpCall(base, 'GET', '/emulator/v1/messages')).body)).toEqual({ messages: [] });
  });

  test('clock: GET reads it, POST {advanceSeconds} moves it, and codes expire with it', async () => {
    const before = JSON.parse((await httpCall(base, 'GET', '/emulator/v1/clock')).body) as { now: string };
    expect(before.now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const verification = await verifyService().verifications.create({ to: TO, channel: 'sms' });

    const moved = await json(base, 'POST', '/emulator/v1/clock', { advanceSeconds: 600 });
    const stamped = await httpCall(base, 'GET', '/v2/Services', {
      headers: {
        authorization: `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`,
      },
    });
    expect(Date.parse(stamped.headers['date'] ?? '') - Date.parse(before.now)).toBeGreaterThanOrEqual(600_000);
    expect(moved.status).toBe(200);
    const after = JSON.parse(moved.body) as { now: string };
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(600_000);
    await expectTwilioError(verifyService().verifications(verification.sid).fetch(), 20404, 404);
  });

  test('bad requests are 400/404/405 with {error}', async () => {
    for (const body of [{ advanceSeconds: -5 }, { advanceSeconds: 'ten' }, {}]) {
      const answer = await json(base, 'POST', '/emulator/v1/clock', body);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
    }
    expect(
      (
        await httpCall(base, 'POST', '/emulator/v1/clock', {
          body: 'not json',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect((await httpCall(base, 'GET', '/emulator/v1/nothing')).status).toBe(404);
    expect((await httpCall(base, 'DELETE', '/emulator/v1/messages')).status).toBe(405);
    expect((await json(base, 'POST', '/emulator/v1/faults', { count: 1 })).status).toBe(400);
  });

  test('refuses requests naming a foreign Host (DNS rebinding)', async () => {
    const answer = await httpCall(base, 'GET', '/emulator/v1/messages', { headers: { host: 'evil.example:80' } });
    expect(answer.status).toBe(403);
    expect(
      (await httpCall(base, 'GET', '/emulator/v1/health', { headers: { host: `localhost:${server.port}` } })).status,
    ).toBe(200);
  });
});

describe('faults', () => {
  test('the next N matching calls fail with the given Twilio error; others pass; then it is spent', async () => {
    const added = await json(base, 'POST', '/emulator/v1/faults', {
      match: { method: 'POST', path: '/Verifications' },
      count: 2,
      status: 503,
      code: 20503,
      message: 'Service Unavailable',
    });
    expect(added.status).toBe(201);
    expect(JSON.parse(added.body)).toMatchObject({ fault: { id: expect.any(Number), remaining: 2, count: 2 } });

    await expect(verifyService().fetch()).resolves.toBeDefined();
    await expectTwilioError(
      verifyService().verifications.create({ to: TO, channel: 'sms' }),
      20503,
      503,
      'Service Unavailable',
    );
    expect(JSON.parse((await httpCall(base, 'GET', '/emulator/v1/faults')).body)).toMatchObject({
      faults: [{ remaining: 1 }],
    });
    await expectTwilioError(verifyService().verifications.create({ to: TO, channel: 'sms' }), 20503, 503);
    await expect(verifyService().verifications.create({ to: TO, channel: 'sms' })).resolves.toMatchObject({
      status: 'pending',
    });
  });

  test('a status alone gets the matching Twilio code; DELETE clears pending faults', async () => {
    await json(base, 'POST', '/emulator/v1/faults', { status: 500, count: 3 });
    await expectTwilioError(verifyService().fetch(), 20500, 500);
    expect(JSON.parse((await httpCall(base, 'DELETE', '/emulator/v1/faults')).body)).toEqual({ cleared: 1 });
    await expect(verifyService().fetch()).resolves.toBeDefined();
  });

  test('delayMs answers late, then normally', async () => {
    await json(base, 'POST', '/emulator/v1/faults', { match: { path: '/VerificationCheck' }, delayMs: 300 });
    await verifyService().verifications.create({ to: TO, channel: 'sms' });
    const started = Date.now();
    const check = await verifyService().verificationChecks.create({ to: TO, code: '000000' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(check.status).toBe('pending');
  });

  test('drop destroys the socket: the client sees a connection reset', async () => {
    await json(base, 'POST', '/emulator/v1/faults', { match: { path: '/Verifications' }, drop: true });
    const error = await rejection(verifyService().verifications.create({ to: TO, channel: 'sms' }));
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(error).not.toBeInstanceOf(RestException);
  });

  test('malformed answers a body that is not JSON (200 unless a status is given)', async () => {
    await json(base, 'POST', '/emulator/v1/faults', { malformed: true, count: 2 });
    const error = await rejection(verifyService().fetch());
    expect(error).toBeInstanceOf(SyntaxError);

    const raw = await httpCall(base, 'GET', `/v2/Services/${EMULATOR_SERVICE_SID}`);
    expect(raw.status).toBe(200);
    expect(() => JSON.parse(raw.body)).toThrow();

    await json(base, 'POST', '/emulator/v1/faults', { malformed: true, status: 502 });
    const bad = await rejection(verifyService().fetch());
    expect(bad).toBeInstanceOf(RestException);
    expect(bad).toMatchObject({ status: 502, message: '[HTTP 502] Failed to execute request' });
    expect((bad as RestException).code).toBeUndefined();
  });

  test('faults only touch /v2, never the developer API', async () => {
    await json(base, 'POST', '/emulator/v1/faults', { status: 503 });
    expect((await httpCall(base, 'GET', '/emulator/v1/messages')).status).toBe(200);
  });
});

describe('inbox page', () => {
  test('GET / is a self-contained, accessible HTML page that polls the messages API', async () => {
    const page = await httpCall(base, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toMatch(/<h1>[^<]+<\/h1>/);
    expect(page.body).toContain('aria-live="polite"');
    expect(page.body).toContain('prefers-color-scheme: dark');
    expect(page.body).toContain("fetch('/emulator/v1/messages'");
    expect(page.body).toMatch(/setTimeout\(poll, 1000\)/);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.body).not.toMatch(/\s(src|href)=/);
    expect(page.body).not.toContain('innerHTML');
  });
});

describe('binding', () => {
  test('refuses any host but loopback', async () => {
    await expect(startEmulatorServer({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startEmulatorServer({ host: '192.168.1.10' })).rejects.toThrow(/loopback/);
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopbackHost)).toBe(true);
  });
});
