// The fault queue applies to Sync's /v1 calls as to Verify's /v2 ones: matched by method and a
// path substring, for the next `count` calls: 5xx, 20429 with Retry-After, a delay the client
// times out on, a dropped connection.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  createHttpClientFor,
  type HttpClientRequestOptions,
  type InProcessHttpClient,
} from '../../emulator';
import { expectTwilioError, rejection } from './support';
import { injectFault, syncSetup } from './sync-support';

const setup = () => syncSetup({ seedSync: { maps: ['locks'] } });

test('a 503 on Map Item creates hits the next `count` of them only, then the real answer comes back', async () => {
  const { emulator, sync } = setup();
  await injectFault(emulator, { match: { method: 'POST', path: '/Maps/locks/Items' }, count: 2, status: 503 });
  // Other calls pass the fault by: another method, another path.
  expect(await sync.syncMaps('locks').syncMapItems.list()).toEqual([]);
  expect((await sync.syncMaps('locks').fetch()).uniqueName).toBe('locks');
  await expectTwilioError(sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} }), 20503, 503);
  await expectTwilioError(sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} }), 20503, 503);
  expect((await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} })).revision).toBe('0');
});

test('a 429 is 20429 with Retry-After (1 s unless given), which survives the RestException on lastResponse; other codes carry none', async () => {
  const { emulator, sync } = setup();
  const httpClient = emulator.httpClient as unknown as InProcessHttpClient;
  await injectFault(emulator, { match: { path: '/Items' }, status: 429 });
  await expectTwilioError(sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} }), 20429, 429);
  expect(httpClient.lastResponse?.headers['retry-after']).toBe('1');
  await injectFault(emulator, { match: { path: '/Items' }, status: 429, retryAfter: 7, message: 'Too Many Requests' });
  await expectTwilioError(sync.syncMaps('locks').syncMapItems('k').fetch(), 20429, 429, 'Too Many Requests');
  expect(httpClient.lastResponse?.headers['retry-after']).toBe('7');
  // Verify sends no Retry-After with its own 429s (60203…): a fault with such a code adds none.
  await injectFault(emulator, { match: { path: '/Items' }, status: 429, code: 60203 });
  await expectTwilioError(sync.syncMaps('locks').syncMapItems('k').fetch(), 60203, 429);
  expect(httpClient.lastResponse?.headers['retry-after']).toBeUndefined();
});

test('a delay longer than the SDK’s timeout fails the call as a timeout; the write behind it still happens', async () => {
  const { emulator } = setup();
  // The SDK hands a custom httpClient no timeout of its own: the client sets one, as the functions' does.
  const inner = createHttpClientFor(emulator.handle);
  const httpClient = { request: (options: HttpClientRequestOptions) => inner.request({ ...options, timeout: 50 }) };
  const impatient = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, {
    httpClient: httpClient as unknown as RequestClient,
  });
  const items = impatient.sync.v1.services(emulator.syncServiceSid ?? '').syncMaps('locks').syncMapItems;
  await injectFault(emulator, { match: { path: '/v1/' }, delayMs: 300 });
  expect(await rejection(items.create({ key: 'slow', data: {} }))).toMatchObject({ code: 'ECONNABORTED' });
  // Like a real slow Twilio: the request was not lost, only its answer.
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect((await items('slow').fetch()).key).toBe('slow');
});

test('a dropped connection is a socket error, not an answer', async () => {
  const { emulator, sync } = setup();
  await injectFault(emulator, { match: { method: 'DELETE', path: '/Items/' }, drop: true });
  await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} });
  expect(await rejection(sync.syncMaps('locks').syncMapItems('k').remove())).toMatchObject({ code: 'ECONNRESET' });
});

test('a fault whose path only Sync has leaves Verify alone, and one for /v2 leaves Sync alone', async () => {
  const { emulator, client, sync } = setup();
  const verifyService = client.verify.v2.services(EMULATOR_SERVICE_SID);
  await injectFault(emulator, { match: { path: '/v1/Services' }, status: 500 });
  expect((await verifyService.fetch()).sid).toBe(EMULATOR_SERVICE_SID);
  await expectTwilioError(sync.fetch(), 20500, 500);
  await injectFault(emulator, { match: { path: '/v2/Services' }, status: 502 });
  expect((await sync.fetch()).sid).toBe(emulator.syncServiceSid);
  await expectTwilioError(verifyService.fetch(), 20502, 502);
});
