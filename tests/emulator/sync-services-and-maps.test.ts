// Sync Services and Maps through the real twilio SDK, and the seeding that gives callers their
// Sync Service and Maps on start and after every reset.
import { EMULATOR_SYNC_SERVICE_SID, createEmulator } from '../../emulator';
import { main } from '../../emulator/cli';
import { expectTwilioError, sdkFor } from './support';
import { T0, rawV1, syncSetup } from './sync-support';

const at = (secondsAfterT0: number) => new Date(T0 + secondsAfterT0 * 1000);

describe('Services', () => {
  test('the seeded service has Sync’s defaults and links', async () => {
    const { sync } = syncSetup();
    expect(await sync.fetch()).toMatchObject({
      sid: EMULATOR_SYNC_SERVICE_SID,
      uniqueName: null,
      friendlyName: 'Sync Emulator',
      webhookUrl: null,
      webhooksFromRestEnabled: false,
      reachabilityWebhooksEnabled: false,
      aclEnabled: false,
      reachabilityDebouncingEnabled: false,
      reachabilityDebouncingWindow: 5000,
      url: `https://sync.twilio.com/v1/Services/${EMULATOR_SYNC_SERVICE_SID}`,
      links: { maps: `https://sync.twilio.com/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps` },
    });
  });

  test('create, list, update and delete; a delete takes the service’s maps and items with it', async () => {
    const { client } = syncSetup();
    const services = client.sync.v1.services;
    const created = await services.create({
      friendlyName: 'Shop state',
      aclEnabled: true,
      webhookUrl: 'https://example.com/sync',
    });
    expect(created).toMatchObject({
      sid: expect.stringMatching(/^IS[0-9a-f]{32}$/),
      friendlyName: 'Shop state',
      aclEnabled: true,
      webhookUrl: 'https://example.com/sync',
    });
    expect((await services.list()).map((service) => service.sid)).toEqual([EMULATOR_SYNC_SERVICE_SID, created.sid]);
    const updated = await services(created.sid).update({ friendlyName: 'Renamed', reachabilityDebouncingWindow: 1000 });
    expect(updated).toMatchObject({ friendlyName: 'Renamed', aclEnabled: true, reachabilityDebouncingWindow: 1000 });
    await services(created.sid).syncMaps.create({ uniqueName: 'm' });
    await services(created.sid).syncMaps('m').syncMapItems.create({ key: 'k', data: {} });
    expect(await services(created.sid).remove()).toBe(true);
    await expectTwilioError(services(created.sid).fetch(), 20404, 404, `/Services/${created.sid} was not found`);
    await expectTwilioError(services(created.sid).syncMaps('m').fetch(), 20404, 404);
  });

  test('a debouncing window outside 1,000–30,000 ms or a webhook that is not a URL is a 400', async () => {
    const { client } = syncSetup();
    await expectTwilioError(
      client.sync.v1.services.create({ reachabilityDebouncingWindow: 999 }),
      20400,
      400,
      /ReachabilityDebouncingWindow/,
    );
    await expectTwilioError(client.sync.v1.services.create({ webhookUrl: 'not a url' }), 20400, 400, /WebhookUrl/);
    expect(await client.sync.v1.services.list()).toHaveLength(1);
  });
});

describe('Maps', () => {
  test('a map is found by its SID and by its unique name, in Sync’s shape', async () => {
    const { sync } = syncSetup();
    const created = await sync.syncMaps.create({ uniqueName: 'locks', ttl: 3600 });
    expect(created).toMatchObject({
      sid: expect.stringMatching(/^MP[0-9a-f]{32}$/),
      uniqueName: 'locks',
      serviceSid: EMULATOR_SYNC_SERVICE_SID,
      revision: '0',
      dateExpires: at(3600),
      dateCreated: at(0),
      createdBy: 'system',
      links: { items: `https://sync.twilio.com/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/${created.sid}/Items` },
    });
    expect((await sync.syncMaps(created.sid).fetch()).uniqueName).toBe('locks');
    expect((await sync.syncMaps('locks').fetch()).sid).toBe(created.sid);
    const anonymous = await sync.syncMaps.create();
    expect(anonymous.uniqueName).toBeNull();
    expect(anonymous.dateExpires).toBeNull();
  });

  test('a duplicate unique name is 54301 (409); another service may use it', async () => {
    const { sync, client } = syncSetup();
    await sync.syncMaps.create({ uniqueName: 'locks' });
    await expectTwilioError(sync.syncMaps.create({ uniqueName: 'locks' }), 54301, 409, /Unique name already exists/);
    const other = await client.sync.v1.services.create({ friendlyName: 'other' });
    expect((await client.sync.v1.services(other.sid).syncMaps.create({ uniqueName: 'locks' })).uniqueName).toBe(
      'locks',
    );
    expect(await sync.syncMaps.list()).toHaveLength(1);
  });

  test.each([
    ['empty', ''],
    ['SID-shaped', `MP${'a'.repeat(32)}`],
    ['257 characters long', 'n'.repeat(257)],
  ])('a unique name that is %s is 54302 (400)', async (_case, uniqueName) => {
    const { emulator } = syncSetup();
    const answer = await rawV1(emulator, 'POST', `/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps`, {
      UniqueName: uniqueName,
    });
    expect(answer.json).toMatchObject({ code: 54302, status: 400 });
  });

  test('an update sets a new TTL from now (CollectionTtl wins over Ttl); one with nothing is 54010', async () => {
    const { emulator, sync } = syncSetup();
    await sync.syncMaps.create({ uniqueName: 'm', collectionTtl: 60 });
    emulator.advanceClock(50);
    const updated = await sync.syncMaps('m').update({ ttl: 10, collectionTtl: 120 });
    expect(updated).toMatchObject({ dateExpires: at(170), revision: '1', dateUpdated: at(50) });
    await expectTwilioError(sync.syncMaps('m').update({}), 54010, 400);
    await expectTwilioError(sync.syncMaps('m').update({ ttl: 31_536_001 }), 54011, 400);
    emulator.advanceClock(119);
    expect((await sync.syncMaps('m').fetch()).uniqueName).toBe('m');
    emulator.advanceClock(1);
    await expectTwilioError(sync.syncMaps('m').fetch(), 20404, 404);
  });

  test('delete, and the SDK pages through maps oldest first', async () => {
    const { sync } = syncSetup();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await sync.syncMaps.create({ uniqueName: name });
    expect(await sync.syncMaps('c').remove()).toBe(true);
    await expectTwilioError(sync.syncMaps('c').remove(), 20404, 404);
    const page = await sync.syncMaps.page({ pageSize: 2 });
    expect(page.instances.map((map) => map.uniqueName)).toEqual(['a', 'b']);
    expect((await sync.syncMaps.list({ pageSize: 2 })).map((map) => map.uniqueName)).toEqual(['a', 'b', 'd', 'e']);
  });
});

describe('seeding', () => {
  test('by default: the Sync service with no maps; seedSync names the maps to create', async () => {
    expect(await syncSetup().sync.syncMaps.list()).toEqual([]);
    const { emulator, sync } = syncSetup({ seedSync: { maps: ['locks', 'budgets'] } });
    expect(emulator.syncServiceSid).toBe(EMULATOR_SYNC_SERVICE_SID);
    expect((await sync.syncMaps.list()).map((map) => map.uniqueName)).toEqual(['locks', 'budgets']);
  });

  test('a chosen SID, or none at all with seedSync: false', async () => {
    const sid = `IS${'12'.repeat(16)}`;
    const chosen = syncSetup({ seedSync: { sid, maps: ['m'] } });
    expect(chosen.emulator.syncServiceSid).toBe(sid);
    expect((await chosen.client.sync.v1.services(sid).syncMaps('m').fetch()).serviceSid).toBe(sid);
    const none = syncSetup({ seedSync: false });
    expect(none.emulator.syncServiceSid).toBeUndefined();
    expect(await none.client.sync.v1.services.list()).toEqual([]);
    // Verify's seeding is untouched by Sync's.
    expect(none.emulator.serviceSid).toBeDefined();
  });

  test.each([
    ['a SID that is not IS + 32 hex', { sid: 'IS123' }, /seedSync\.sid/],
    ['a SID-shaped map name', { maps: [`MP${'0'.repeat(32)}`] }, /not a valid Sync unique name/],
    ['the same map twice', { maps: ['locks', 'locks'] }, /listed twice/],
  ])('createEmulator refuses %s', (_case, seedSync, message) => {
    expect(() => createEmulator({ seedSync })).toThrow(message);
  });

  test('reset (in process and through the developer API) empties Sync and seeds it again', async () => {
    const { emulator, client, sync } = syncSetup({ seedSync: { maps: ['locks'] } });
    await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} });
    await sync.syncMaps.create({ uniqueName: 'extra' });
    await client.sync.v1.services.create({ friendlyName: 'extra' });
    emulator.reset();
    expect(await sync.syncMaps('locks').syncMapItems.list()).toEqual([]);
    expect((await sync.syncMaps.list()).map((map) => map.uniqueName)).toEqual(['locks']);
    expect(await client.sync.v1.services.list()).toHaveLength(1);

    await sync.syncMaps('locks').syncMapItems.create({ key: 'k', data: {} });
    const answer = await emulator.handle({ method: 'POST', path: '/emulator/v1/reset', headers: {}, body: '' });
    expect(answer.status).toBe(200);
    await expectTwilioError(sync.syncMaps('locks').syncMapItems('k').fetch(), 20404, 404);
    const health = await emulator.handle({ method: 'GET', path: '/emulator/v1/health', headers: {}, body: '' });
    expect(JSON.parse(health.body)).toMatchObject({ syncServiceSid: EMULATOR_SYNC_SERVICE_SID });
  });
});

test('the CLI seeds the Maps EMULATOR_SYNC_MAPS names and prints the Sync service', async () => {
  const lines: string[] = [];
  const running = await main({ EMULATOR_PORT: '0', EMULATOR_SYNC_MAPS: 'locks, budgets,' }, (line) => lines.push(line));
  try {
    expect(lines.join('\n')).toContain(
      `Sync service SID:             ${EMULATOR_SYNC_SERVICE_SID} (Maps: locks, budgets)`,
    );
    const sync = sdkFor(running.emulator).sync.v1.services(EMULATOR_SYNC_SERVICE_SID);
    expect((await sync.syncMaps.list()).map((map) => map.uniqueName)).toEqual(['locks', 'budgets']);
  } finally {
    await running.close();
  }
});
