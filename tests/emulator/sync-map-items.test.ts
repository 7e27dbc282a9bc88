// Sync Map Items through the real twilio SDK, in process: create / fetch / update / delete, the
// 54208 duplicate, If-Match revisions (54205, 412) and ETag, TTL expiry on the emulator clock,
// URL-encoded keys, validation, and paging with Order / From / Bounds.
import RestException from 'twilio/lib/base/RestException';
import { EMULATOR_SYNC_SERVICE_SID, SYNC_ERRORS } from '../../emulator';
import { expectTwilioError } from './support';
import { T0, itemsPath, rawV1, syncSetup } from './sync-support';

const at = (secondsAfterT0: number) => new Date(T0 + secondsAfterT0 * 1000);

describe('create, fetch, update, delete', () => {
  test('an item answers in Sync’s shape, with revision "0", created_by system and its revision as ETag', async () => {
    const { sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    const map = await sync.syncMaps('locks').fetch();
    const created = await sync
      .syncMaps('locks')
      .syncMapItems.createWithHttpInfo({ key: 'send:+15005550006', data: { holder: 'a' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['etag']).toBe('0');
    expect(created.body).toMatchObject({
      key: 'send:+15005550006',
      serviceSid: EMULATOR_SYNC_SERVICE_SID,
      mapSid: map.sid,
      revision: '0',
      data: { holder: 'a' },
      dateExpires: null,
      dateCreated: at(0),
      dateUpdated: at(0),
      createdBy: 'system',
      url: `https://sync.twilio.com/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/${map.sid}/Items/send%3A%2B15005550006`,
    });
    const fetched = await sync.syncMaps(map.sid).syncMapItems('send:+15005550006').fetchWithHttpInfo();
    expect(fetched.headers['etag']).toBe('0');
    expect(fetched.body.data).toEqual({ holder: 'a' });
  });

  test('a second create with the same key is 54208 (409), a RestException; the item is unchanged', async () => {
    const { sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: { n: 1 } });
    const error = await expectTwilioError(
      sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: { n: 2 } }),
      54208,
      409,
      /already exists/,
    );
    expect(error).toBeInstanceOf(RestException);
    expect((await sync.syncMaps('locks').syncMapItems('k').fetch()).data).toEqual({ n: 1 });
  });

  test('each update bumps revision and date_updated; the map’s revision follows its items', async () => {
    const { emulator, sync } = syncSetup({ seedSync: { maps: ['budgets'] } });
    const items = sync.syncMaps('budgets').syncMapItems;
    await items.create({ key: 'k', data: { n: 1 } });
    emulator.advanceClock(5);
    const first = await items('k').updateWithHttpInfo({ data: { n: 2 } });
    expect(first.body).toMatchObject({ revision: '1', data: { n: 2 }, dateCreated: at(0), dateUpdated: at(5) });
    expect(first.headers['etag']).toBe('1');
    const second = await items('k').update({ data: { n: 3 }, ifMatch: '1' });
    expect(second.revision).toBe('2');
    const map = await sync.syncMaps('budgets').fetch();
    expect(map).toMatchObject({ revision: '3', dateUpdated: at(5) });
  });

  test('a stale If-Match is 54205 (412) on update and delete and changes nothing; a current one goes through', async () => {
    const { sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    const items = sync.syncMaps('locks').syncMapItems;
    await items.create({ key: 'k', data: { holder: 'a' } });
    await items('k').update({ data: { holder: 'b' } });
    const stale = await expectTwilioError(
      items('k').update({ data: { holder: 'c' }, ifMatch: '0' }),
      SYNC_ERRORS.mapItemRevisionMismatch.code,
      412,
      'The actual revision of the Map Item does not match the expected revision',
    );
    expect(stale.code).toBe(54205);
    await expectTwilioError(items('k').remove({ ifMatch: '0' }), 54205, 412);
    expect(await items('k').fetch()).toMatchObject({ revision: '1', data: { holder: 'b' } });
    // The entity-tag form of the same revision matches too.
    expect((await items('k').update({ data: { holder: 'c' }, ifMatch: '"1"' })).revision).toBe('2');
    expect(await items('k').remove({ ifMatch: '2' })).toBe(true);
    await expectTwilioError(items('k').fetch(), 20404, 404);
  });

  test('delete without If-Match removes the item; a missing item, map or service is 20404 naming the path', async () => {
    const { sync, client } = syncSetup({ seedSync: { maps: ['locks'] } });
    await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} });
    expect(await sync.syncMaps('locks').syncMapItems('k').remove()).toBe(true);
    await expectTwilioError(
      sync.syncMaps('locks').syncMapItems('k').remove(),
      20404,
      404,
      `/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/locks/Items/k was not found`,
    );
    await expectTwilioError(sync.syncMaps('nope').syncMapItems.create({ key: 'k', data: {} }), 20404, 404);
    await expectTwilioError(
      client.sync.v1
        .services(`IS${'1'.repeat(32)}`)
        .syncMaps('locks')
        .fetch(),
      20404,
      404,
    );
  });

  test('keys are URL-decoded: any character can be a key, addressed encoded', async () => {
    const { sync } = syncSetup({ seedSync: { maps: ['m'] } });
    const key = 'user:+1 500/555?0006 100%';
    await sync.syncMaps('m').syncMapItems.create({ key, data: { ok: true } });
    // The SDK refuses / and ? in a path parameter, so callers encode the key themselves.
    const fetched = await sync.syncMaps('m').syncMapItems(encodeURIComponent(key)).fetch();
    expect(fetched.key).toBe(key);
    expect(fetched.url.endsWith(`/Items/${encodeURIComponent(key)}`)).toBe(true);
    await sync.syncMaps('m').syncMapItems.create({ key: 'plain key', data: {} });
    expect((await sync.syncMaps('m').syncMapItems('plain key').fetch()).key).toBe('plain key');
  });
});

describe('TTL on the emulator clock', () => {
  test('an item is there until date_expires and gone (20404, unlisted, its key free) from then on', async () => {
    const { emulator, sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    const items = sync.syncMaps('locks').syncMapItems;
    const created = await items.create({ key: 'lock', data: {}, ttl: 60 });
    expect(created.dateExpires).toEqual(at(60));
    emulator.advanceClock(59);
    expect((await items('lock').fetch()).key).toBe('lock');
    emulator.advanceClock(1);
    await expectTwilioError(items('lock').fetch(), 20404, 404);
    expect(await items.list()).toEqual([]);
    expect((await items.create({ key: 'lock', data: { again: true } })).revision).toBe('0');
  });

  test('a clock that is not on a whole second still expires at the displayed date_expires', async () => {
    const { emulator, sync } = syncSetup({ now: () => T0 + 700, seedSync: { maps: ['locks'] } });
    const created = await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {}, ttl: 10 });
    expect(created.dateExpires).toEqual(at(10));
    emulator.advanceClock(9.3);
    await expectTwilioError(sync.syncMaps('locks').syncMapItems('k').fetch(), 20404, 404);
  });

  test('an update with a new Ttl moves the expiry from now; one without keeps it', async () => {
    const { emulator, sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    const items = sync.syncMaps('locks').syncMapItems;
    await items.create({ key: 'k', data: {}, ttl: 60 });
    emulator.advanceClock(30);
    expect((await items('k').update({ data: { touched: 1 } })).dateExpires).toEqual(at(60));
    expect((await items('k').update({ ttl: 100 })).dateExpires).toEqual(at(130));
    emulator.advanceClock(99);
    expect((await items('k').fetch()).data).toEqual({ touched: 1 });
    emulator.advanceClock(1);
    await expectTwilioError(items('k').fetch(), 20404, 404);
  });

  test('ItemTtl wins over its alias Ttl; a TTL of 0 means never', async () => {
    const { sync } = syncSetup({ seedSync: { maps: ['m'] } });
    const items = sync.syncMaps('m').syncMapItems;
    expect((await items.create({ key: 'a', data: {}, ttl: 10, itemTtl: 20 })).dateExpires).toEqual(at(20));
    expect((await items.create({ key: 'b', data: {}, ttl: 0 })).dateExpires).toBeNull();
    expect((await items('a').update({ itemTtl: 0 })).dateExpires).toBeNull();
  });

  test('CollectionTtl on an item call sets the map’s TTL; an expired map takes its items and frees its name', async () => {
    const { emulator, sync } = syncSetup({ seedSync: { maps: ['m'] } });
    await sync.syncMaps('m').syncMapItems.create({ key: 'a', data: {}, collectionTtl: 30 });
    expect((await sync.syncMaps('m').fetch()).dateExpires).toEqual(at(30));
    emulator.advanceClock(30);
    await expectTwilioError(sync.syncMaps('m').fetch(), 20404, 404);
    await expectTwilioError(sync.syncMaps('m').syncMapItems('a').fetch(), 20404, 404);
    expect(await sync.syncMaps.list()).toEqual([]);
    const again = await sync.syncMaps.create({ uniqueName: 'm' });
    expect(await sync.syncMaps(again.sid).syncMapItems.list()).toEqual([]);
  });
});

describe('validation', () => {
  const path = itemsPath('m');
  const setup = () => syncSetup({ seedSync: { maps: ['m'] } });

  test.each([
    ['no Key', { Data: '{}' }, 54209, 400, /'Key' parameter is required/],
    ['a 321-character Key', { Key: 'k'.repeat(321), Data: '{}' }, 54209, 400, /1 to 320 characters/],
    ['no Data', { Key: 'k' }, 54206, 400, /cannot be null/],
    ['Data that is not JSON', { Key: 'k', Data: '{oops' }, 54008, 400, /not valid JSON/],
    ['Data that is a JSON array', { Key: 'k', Data: '[1,2]' }, 54206, 400, /must be a JSON object/],
    ['Data that is a JSON string', { Key: 'k', Data: '"text"' }, 54206, 400, /must be a JSON object/],
    ['Data over 16 KiB', { Key: 'k', Data: JSON.stringify({ v: 'x'.repeat(16 * 1024) }) }, 54006, 413, /16 KiB/],
    ['a negative Ttl', { Key: 'k', Data: '{}', Ttl: '-1' }, 54011, 400, /between 0 and 31536000/],
    ['a Ttl over a year', { Key: 'k', Data: '{}', ItemTtl: '31536001' }, 54011, 400, /Invalid TTL/],
    [
      'a CollectionTtl that is not a number',
      { Key: 'k', Data: '{}', CollectionTtl: 'soon' },
      54011,
      400,
      /Invalid TTL/,
    ],
  ])('a create with %s is refused', async (_case, params, code, status, message) => {
    const { emulator, sync } = setup();
    const answer = await rawV1(emulator, 'POST', path, params);
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({
      code,
      status,
      message: expect.stringMatching(message),
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    });
    expect(await sync.syncMaps('m').syncMapItems.list()).toEqual([]);
    expect((await sync.syncMaps('m').fetch()).revision).toBe('0');
  });

  test('the limits themselves are accepted: a 320-character key, 16 KiB of Data, a one-year TTL', async () => {
    const { emulator } = setup();
    const data = JSON.stringify({ v: 'x'.repeat(16 * 1024 - 8) });
    expect(Buffer.byteLength(data)).toBe(16 * 1024);
    const answer = await rawV1(emulator, 'POST', path, { Key: 'k'.repeat(320), Data: data, Ttl: '31536000' });
    expect(answer.status).toBe(201);
  });

  test('an update with nothing to change is 54010; the SDK raises it', async () => {
    const { sync } = setup();
    await sync.syncMaps('m').syncMapItems.create({ key: 'k', data: {} });
    await expectTwilioError(sync.syncMaps('m').syncMapItems('k').update({}), 54010, 400);
    await expectTwilioError(sync.syncMaps('m').syncMapItems('k').update({ collectionTtl: 60 }), 54010, 400);
  });

  test('Data the SDK serializes from an object round-trips, nested values and unicode included', async () => {
    const { sync } = setup();
    const data = {
      count: 3,
      until: '2026-01-05T10:00:00Z',
      nested: { list: [1, 'two', null], ok: false },
      name: 'Zoë ✓',
    };
    await sync.syncMaps('m').syncMapItems.create({ key: 'k', data });
    expect((await sync.syncMaps('m').syncMapItems('k').fetch()).data).toEqual(data);
  });
});

describe('lists', () => {
  async function filled(count: number) {
    const setup = syncSetup({ seedSync: { maps: ['m'] } });
    // Created out of order: lists sort by key, not by creation.
    const keys = Array.from({ length: count }, (_, i) => `key-${String(i).padStart(3, '0')}`);
    for (const key of [...keys].reverse()) await setup.sync.syncMaps('m').syncMapItems.create({ key, data: { key } });
    return { ...setup, keys };
  }

  test('the SDK pages through every item, in key order, across pages', async () => {
    const { sync, keys } = await filled(7);
    const listed = await sync.syncMaps('m').syncMapItems.list({ pageSize: 3 });
    expect(listed.map((item) => item.key)).toEqual(keys);
    const first = await sync.syncMaps('m').syncMapItems.page({ pageSize: 3 });
    expect(first.instances.map((item) => item.key)).toEqual(keys.slice(0, 3));
    const second = await first.nextPage();
    expect(second?.instances.map((item) => item.key)).toEqual(keys.slice(3, 6));
    const third = await second?.nextPage();
    expect(third?.instances.map((item) => item.key)).toEqual(keys.slice(6));
    expect(await third?.nextPage()).toBeUndefined();
  });

  test('Order=desc, From and Bounds pick the range, and the page links keep them', async () => {
    const { emulator, sync, keys } = await filled(5);
    const items = sync.syncMaps('m').syncMapItems;
    expect((await items.list({ order: 'desc' })).map((item) => item.key)).toEqual([...keys].reverse());
    expect((await items.list({ from: 'key-002' })).map((item) => item.key)).toEqual(keys.slice(2));
    expect((await items.list({ from: 'key-002', bounds: 'exclusive' })).map((item) => item.key)).toEqual(keys.slice(3));
    expect((await items.list({ from: 'key-002', order: 'desc' })).map((item) => item.key)).toEqual([
      'key-002',
      'key-001',
      'key-000',
    ]);
    const page = await rawV1(emulator, 'GET', itemsPath('m'), { From: 'key-001', Bounds: 'exclusive', PageSize: '2' });
    expect(page.json['meta']).toMatchObject({
      key: 'items',
      page: 0,
      page_size: 2,
      next_page_url: `https://sync.twilio.com${itemsPath('m')}?From=key-001&Bounds=exclusive&PageSize=2&Page=1`,
    });
    expect((page.json['items'] as Array<{ key: string }>).map((item) => item.key)).toEqual(['key-002', 'key-003']);
  });

  test('PageSize is capped at the spec’s 100 (the SDK sends its limit as PageSize)', async () => {
    const { emulator, sync } = await filled(120);
    const page = await rawV1(emulator, 'GET', itemsPath('m'), { PageSize: '500' });
    expect((page.json['items'] as unknown[]).length).toBe(100);
    expect(page.json['meta']).toMatchObject({ page_size: 100 });
    expect(await sync.syncMaps('m').syncMapItems.list({ limit: 500 })).toHaveLength(120);
  });

  test('an Order or Bounds outside the spec’s enums is a 400', async () => {
    const { emulator } = await filled(1);
    expect((await rawV1(emulator, 'GET', itemsPath('m'), { Order: 'random' })).status).toBe(400);
    expect((await rawV1(emulator, 'GET', itemsPath('m'), { Bounds: 'both' })).status).toBe(400);
  });
});

test('a wrong token is 20003, a path outside the subset 20404, a method the path lacks 20004; all dated by the emulator clock', async () => {
  const { emulator } = syncSetup();
  const denied = await emulator.handle({ method: 'GET', path: '/v1/Services', headers: {}, body: '' });
  expect(denied.status).toBe(401);
  expect(JSON.parse(denied.body)).toMatchObject({ code: 20003 });
  expect(denied.headers['date']).toBe(new Date(T0).toUTCString());
  const documents = await rawV1(emulator, 'GET', `/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Documents`);
  expect(documents.json).toMatchObject({ code: 20404, status: 404 });
  const wrongMethod = await rawV1(emulator, 'DELETE', `/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps`);
  expect(wrongMethod.json).toMatchObject({ code: 20004, status: 405 });
  emulator.advanceClock(3600);
  expect((await rawV1(emulator, 'GET', '/v1/Services')).headers['date']).toBe(new Date(T0 + 3_600_000).toUTCString());
});
