// Sync over a real socket: the twilio SDK through the functions' own emulator httpClient
// (src/verify/emulator-http-client.ts) against startEmulatorServer on 127.0.0.1. If-Match must
// travel to the server and ETag come back, or optimistic locking silently stops working.
import { request as httpRequest } from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SYNC_SERVICE_SID,
  startEmulatorServer,
  type RunningEmulatorServer,
} from '../../emulator';
import {
  createEmulatorHttpClient,
  type HttpClientWithHeaders,
  type SdkRequestOptions,
} from '../../src/verify/emulator-http-client';
import { BASIC_AUTH, expectTwilioError, rejection } from './support';

let server: RunningEmulatorServer;
let transport: HttpClientWithHeaders;

const sdkOver = (httpClient: HttpClientWithHeaders) =>
  twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: httpClient as unknown as RequestClient });
const syncOver = (httpClient: HttpClientWithHeaders = transport) =>
  sdkOver(httpClient).sync.v1.services(EMULATOR_SYNC_SERVICE_SID);
const locks = () => syncOver().syncMaps('locks').syncMapItems;

/** A developer-API call with a JSON body, as tools make it. */
const devApi = (method: string, path: string, value?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    ...(value === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }),
  });

function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: server.port, path, headers: { host, authorization: BASIC_AUTH } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0, seedSync: { maps: ['locks'] } });
  transport = createEmulatorHttpClient(`127.0.0.1:${server.port}`, 2000);
});
afterAll(() => server.close());
beforeEach(async () => {
  expect((await devApi('POST', '/emulator/v1/reset')).status).toBe(200);
});

test('the server binds to loopback', () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('create, fetch (ETag), update with a current If-Match, refuse a stale one (54205, 412), delete', async () => {
  const created = await locks().create({ key: 'send:+15005550006', data: { holder: 'a' }, ttl: 60 });
  expect(created.revision).toBe('0');
  await expectTwilioError(locks().create({ key: 'send:+15005550006', data: { holder: 'b' } }), 54208, 409);
  const fetched = await locks()('send:+15005550006').fetchWithHttpInfo();
  expect(fetched.headers['etag']).toBe('0');
  const updated = await locks()('send:+15005550006').update({
    data: { holder: 'b' },
    ifMatch: fetched.headers['etag'],
  });
  expect(updated.revision).toBe('1');
  await expectTwilioError(locks()('send:+15005550006').update({ data: { holder: 'c' }, ifMatch: '0' }), 54205, 412);
  await expectTwilioError(locks()('send:+15005550006').remove({ ifMatch: '0' }), 54205, 412);
  expect((await locks()('send:+15005550006').fetch()).data).toEqual({ holder: 'b' });
  expect(await locks()('send:+15005550006').remove({ ifMatch: '1' })).toBe(true);
  await expectTwilioError(locks()('send:+15005550006').fetch(), 20404, 404);
});

test('the stale-If-Match check has teeth: a transport that drops If-Match lets the stale write through', async () => {
  const forgetful: HttpClientWithHeaders = {
    request: (options: SdkRequestOptions) => {
      const headers = { ...options.headers };
      delete headers['If-Match'];
      return transport.request({ ...options, headers });
    },
  };
  await locks().create({ key: 'k', data: { n: 0 } });
  await locks()('k').update({ data: { n: 1 } });
  const overwritten = await syncOver(forgetful)
    .syncMaps('locks')
    .syncMapItems('k')
    .update({ data: { n: 2 }, ifMatch: '0' });
  expect(overwritten.data).toEqual({ n: 2 });
});

test('TTL expiry by the developer API’s clock, paging across pages, and reset emptying Sync', async () => {
  for (const key of ['c', 'a', 'e', 'b', 'd']) await locks().create({ key, data: { key }, ttl: key === 'e' ? 30 : 0 });
  expect((await locks().list({ pageSize: 2 })).map((item) => item.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect((await devApi('POST', '/emulator/v1/clock', { advanceSeconds: 30 })).status).toBe(200);
  await expectTwilioError(locks()('e').fetch(), 20404, 404);
  expect((await locks().list({ pageSize: 2 })).map((item) => item.key)).toEqual(['a', 'b', 'c', 'd']);
  await devApi('POST', '/emulator/v1/reset');
  expect(await locks().list()).toEqual([]);
  expect((await syncOver().syncMaps('locks').fetch()).uniqueName).toBe('locks');
});

test('faults over the socket: a 429 with Retry-After on lastResponse, a delay past the timeout, a drop', async () => {
  const impatient = createEmulatorHttpClient(`127.0.0.1:${server.port}`, 200);
  const items = syncOver(impatient).syncMaps('locks').syncMapItems;

  await devApi('POST', '/emulator/v1/faults', { match: { path: '/Items' }, status: 429, retryAfter: 3 });
  await expectTwilioError(items.create({ key: 'k', data: {} }), 20429, 429);
  expect(impatient.lastResponse?.headers['retry-after']).toBe('3');

  await devApi('POST', '/emulator/v1/faults', { match: { method: 'GET', path: '/Items/' }, delayMs: 1000 });
  await items.create({ key: 'k', data: {} });
  expect(await rejection(items('k').fetch())).toMatchObject({ code: 'ECONNABORTED' });

  await devApi('POST', '/emulator/v1/faults', { match: { method: 'DELETE', path: '/Items/' }, drop: true });
  expect(await rejection(items('k').remove())).toMatchObject({ code: 'ECONNRESET' });
  expect((await items('k').fetch()).key).toBe('k');
});

test('a forwarding client that keeps the SDK’s Host (sync.twilio.com) is served; other hosts are refused', async () => {
  expect(await getWithHost('/v1/Services', 'sync.twilio.com')).toBe(200);
  expect(await getWithHost('/v1/Services', `127.0.0.1:${server.port}`)).toBe(200);
  expect(await getWithHost('/v1/Services', 'attacker.example')).toBe(403);
});
