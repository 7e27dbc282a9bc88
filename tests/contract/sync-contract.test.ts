// Contract: every /v1 answer the emulator gives while the real twilio SDK drives every Sync
// operation it implements (Services, Maps, Map Items) and every error path, validated with ajv
// against Twilio's own twilio_sync_v1.json, operation by operation and status by status. The
// scenario runs twice: in process (emulator.httpClient's transport) and over HTTP
// (startEmulatorServer on 127.0.0.1 through the functions' own emulator httpClient).
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SYNC_SERVICE_SID,
  SYNC_ERRORS,
  createEmulator,
  createHttpClientFor,
  startEmulatorServer,
  type RunningEmulatorServer,
} from '../../emulator';
import { createEmulatorHttpClient } from '../../src/verify/emulator-http-client';
import { createSyncContract } from './sync-spec';
import { problemsWith } from './verify-spec';

type Transport = 'in-process' | 'http';

interface Exchange {
  transport: Transport;
  method: string;
  pathname: string;
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

interface SdkTransport<O extends { method: string; uri: string }> {
  request(options: O): Promise<Answer>;
}

/** The 15 operations of the subset: Services, Maps, Map Items (Permissions, Documents, Lists, Streams are out). */
const IN_SCOPE =
  /^\/v1\/Services(\/\{Sid\})?$|^\/v1\/Services\/\{ServiceSid\}\/Maps(\/\{Sid\})?$|\/Maps\/\{MapSid\}\/Items(\/\{Key\})?$/;

const contract = createSyncContract();
const exchanges: Exchange[] = [];
let server: RunningEmulatorServer;

/** Wraps a transport so every /v1 answer is recorded for validation. */
function recording<O extends { method: string; uri: string }>(
  inner: SdkTransport<O>,
  transport: Transport,
): SdkTransport<O> {
  return {
    async request(options) {
      const answer = await inner.request(options);
      const { pathname } = new URL(options.uri);
      if (pathname.startsWith('/v1')) {
        exchanges.push({
          transport,
          method: options.method.toUpperCase(),
          pathname,
          status: answer.statusCode,
          body: answer.body,
          headers: answer.headers,
        });
      }
      return answer;
    },
  };
}

/** Runs a call expected to fail; the failure itself is what gets recorded and validated. */
const failing = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    () => undefined,
  );

/** Every Sync operation of the subset, and every Sync error, through the SDK on `httpClient`. */
async function driveScenario(
  httpClient: SdkTransport<{ method: string; uri: string }>,
  advanceClock: (seconds: number) => Promise<void>,
) {
  const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, {
    httpClient: httpClient as unknown as RequestClient,
  });
  const services = client.sync.v1.services;

  // Services: every operation, paging, and their errors.
  const shop = await services.create({
    friendlyName: 'Contract Shop',
    aclEnabled: true,
    webhookUrl: 'https://example.com/hook',
  });
  await services.list({ pageSize: 1 });
  await services(shop.sid).fetch();
  await services(shop.sid).update({
    friendlyName: 'Renamed',
    reachabilityDebouncingEnabled: true,
    reachabilityDebouncingWindow: 2000,
  });
  await failing(services.create({ reachabilityDebouncingWindow: 999 }));
  await failing(services(`IS${'0'.repeat(32)}`).fetch());

  // Maps: every operation, by SID and by unique name, and their errors.
  const sync = services(EMULATOR_SYNC_SERVICE_SID);
  const locks = await sync.syncMaps.create({ uniqueName: 'contract-locks', ttl: 3600 });
  const anonymous = await sync.syncMaps.create();
  await failing(sync.syncMaps.create({ uniqueName: 'contract-locks' }));
  await failing(sync.syncMaps.create({ uniqueName: `MP${'a'.repeat(32)}` }));
  await sync.syncMaps.list({ pageSize: 1 });
  await sync.syncMaps(locks.sid).fetch();
  await sync.syncMaps('contract-locks').update({ collectionTtl: 7200 });
  await failing(sync.syncMaps('contract-locks').update({}));
  await failing(sync.syncMaps('contract-locks').update({ ttl: -5 }));
  await sync.syncMaps(anonymous.sid).remove();
  await failing(sync.syncMaps(anonymous.sid).fetch());

  // Map Items: every operation, revisions, TTL, paging, and their errors.
  const items = sync.syncMaps('contract-locks').syncMapItems;
  for (const key of ['send:+15005550006', 'budget:10.0.0.1', 'proof:abc', 'a key with spaces']) {
    await items.create({ key, data: { holder: 'contract', key }, ttl: key.startsWith('proof') ? 60 : 0 });
  }
  await failing(items.create({ key: 'send:+15005550006', data: {} }));
  await failing(items.create({ key: 'k'.repeat(321), data: {} }));
  await failing(items.create({ key: 'big', data: { blob: 'x'.repeat(17 * 1024) } }));
  await failing(items.create({ key: 'garbled', data: '{not json' }));
  await failing(items.create({ key: 'array', data: '[1,2,3]' }));
  await items.list({ pageSize: 2 });
  await items.list({ order: 'desc', from: 'proof:abc', bounds: 'exclusive', pageSize: 2 });
  await items('send:+15005550006').fetch();
  const current = await items('send:+15005550006').update({ data: { holder: 'second' }, ifMatch: '0' });
  await failing(items('send:+15005550006').update({ data: { holder: 'late' }, ifMatch: '0' }));
  await failing(items('send:+15005550006').update({}));
  await failing(items('send:+15005550006').remove({ ifMatch: '0' }));
  await items('send:+15005550006').remove({ ifMatch: current.revision });
  await failing(items('send:+15005550006').fetch());
  await items('a key with spaces').update({ ttl: 30 });
  await advanceClock(60);
  await failing(items('proof:abc').fetch());

  // What the SDK never sends: no Data, a method the path lacks; then a wrong token.
  const itemsUri = `https://sync.twilio.com/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/contract-locks/Items`;
  const auth = {
    username: EMULATOR_ACCOUNT_SID,
    password: EMULATOR_AUTH_TOKEN,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
  await httpClient.request({ method: 'post', uri: itemsUri, ...auth, data: { Key: 'no-data' } } as {
    method: string;
    uri: string;
  });
  await httpClient.request({ method: 'delete', uri: itemsUri, ...auth } as { method: string; uri: string });
  await failing(
    twilio(EMULATOR_ACCOUNT_SID, 'f'.repeat(32), {
      httpClient: httpClient as unknown as RequestClient,
    }).sync.v1.services.list(),
  );

  await sync.syncMaps('contract-locks').remove();
  await services(shop.sid).remove();
}

beforeAll(async () => {
  const emulator = createEmulator();
  await driveScenario(recording(createHttpClientFor(emulator.handle), 'in-process'), async (seconds) =>
    emulator.advanceClock(seconds),
  );

  server = await startEmulatorServer({ port: 0 });
  const devClock = async (seconds: number) => {
    const answer = await fetch(`${server.url}/emulator/v1/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    if (answer.status !== 200) throw new Error(`clock refused: ${answer.status}`);
  };
  await driveScenario(recording(createEmulatorHttpClient(`127.0.0.1:${server.port}`, 5000), 'http'), devClock);
});
afterAll(() => server?.close());

test('every /v1 answer validates against its operation and status in the Sync spec, both ways in', () => {
  const problems = exchanges.flatMap((exchange) =>
    problemsWith(contract, exchange).problems.map((problem) => `${exchange.transport}: ${problem}`),
  );
  expect(problems).toEqual([]);
  expect(exchanges.filter((exchange) => exchange.transport === 'in-process').length).toBeGreaterThan(40);
  expect(exchanges.filter((exchange) => exchange.transport === 'http').length).toBe(
    exchanges.filter((exchange) => exchange.transport === 'in-process').length,
  );
});

test.each<Transport>(['in-process', 'http'])(
  'every Sync operation of the subset answered successfully at least once (%s)',
  (transport) => {
    const validated = new Map<string, number>();
    for (const exchange of exchanges) {
      if (exchange.transport !== transport || exchange.status >= 400) continue;
      const { operationId, problems } = problemsWith(contract, exchange);
      if (problems.length === 0) validated.set(operationId, (validated.get(operationId) ?? 0) + 1);
    }
    const inScope = contract.operationIds((template) => IN_SCOPE.test(template));
    expect(inScope).toHaveLength(15);
    expect(inScope.filter((operationId) => (validated.get(operationId) ?? 0) === 0)).toEqual([]);
  },
);

test('every code in the Sync error table, and 20003 / 20004 / 20404, was produced with its status, both ways in', () => {
  const seen = (transport: Transport) =>
    new Set(
      exchanges
        .filter((exchange) => exchange.transport === transport && exchange.status >= 400)
        .map((exchange) => {
          const body = JSON.parse(exchange.body) as { code: number; status: number };
          return `${body.code}/${exchange.status}`;
        }),
    );
  const expected = [
    ...Object.values(SYNC_ERRORS).map((error) => `${error.code}/${error.status}`),
    '20003/401',
    '20004/405',
    '20404/404',
  ];
  for (const transport of ['in-process', 'http'] as const) {
    expect(expected.filter((entry) => !seen(transport).has(entry))).toEqual([]);
  }
  expect(expected).toEqual(expect.arrayContaining(['54208/409', '54205/412', '54301/409']));
});

test('every Map Item answer with a body carries ETag equal to its revision, both ways in', () => {
  const itemAnswers = exchanges.filter(
    (exchange) =>
      /\/Items(\/[^/]+)?$/.test(exchange.pathname) &&
      exchange.status < 300 &&
      exchange.body !== '' &&
      !exchange.body.includes('"meta"'),
  );
  expect(itemAnswers.length).toBeGreaterThan(10);
  for (const exchange of itemAnswers) {
    expect({
      at: `${exchange.transport} ${exchange.method} ${exchange.pathname}`,
      etag: exchange.headers['etag'],
    }).toEqual({
      at: `${exchange.transport} ${exchange.method} ${exchange.pathname}`,
      etag: (JSON.parse(exchange.body) as { revision: string }).revision,
    });
  }
});

describe('the validator has teeth', () => {
  const good = () =>
    exchanges.find(
      (exchange) => exchange.method === 'GET' && /\/Items\/[^/]+$/.test(exchange.pathname) && exchange.status === 200,
    );
  const fetchItem = (body: object) =>
    problemsWith(contract, {
      method: 'GET',
      pathname: `/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/contract-locks/Items/k`,
      status: 200,
      body: JSON.stringify(body),
    }).problems;

  test.each([
    ['a missing url', (body: Record<string, unknown>) => ({ ...body, url: undefined })],
    ['an extra property', (body: Record<string, unknown>) => ({ ...body, ttl: 60 })],
    [
      'a date with milliseconds',
      (body: Record<string, unknown>) => ({ ...body, date_created: '2030-01-01T00:00:00.000Z' }),
    ],
    ['data that is an array', (body: Record<string, unknown>) => ({ ...body, data: [1, 2] })],
    ['a malformed map SID', (body: Record<string, unknown>) => ({ ...body, map_sid: 'MP123' })],
    ['a creator other than system', (body: Record<string, unknown>) => ({ ...body, created_by: 'alice' })],
    ['a numeric revision', (body: Record<string, unknown>) => ({ ...body, revision: 1 })],
  ])('rejects a map item with %s', (_case, spoil) => {
    expect(good()).toBeDefined();
    const body = JSON.parse(good()?.body ?? '{}') as Record<string, unknown>;
    expect(fetchItem(body)).toEqual([]);
    expect(fetchItem(spoil(body)).length).toBeGreaterThan(0);
  });

  test('rejects a list page without its meta fields', () => {
    const page = exchanges.find(
      (exchange) => exchange.method === 'GET' && exchange.pathname.endsWith('/Items') && exchange.status === 200,
    );
    expect(page).toBeDefined();
    const body = JSON.parse(page?.body ?? '{}') as { items: unknown[]; meta: Record<string, unknown> };
    const check = (value: object) =>
      problemsWith(contract, {
        method: 'GET',
        pathname: page?.pathname ?? '',
        status: 200,
        body: JSON.stringify(value),
      }).problems;
    expect(check(body)).toEqual([]);
    expect(check({ ...body, meta: { ...body.meta, next_page_url: undefined } }).length).toBeGreaterThan(0);
  });
});
