// The Sync adapter (src/state/sync-store.ts) through the real twilio SDK against the emulator's
// Sync v1: the store semantics every guarantee rests on, and how it fails (closed).
import { EMULATOR_SYNC_SERVICE_SID } from '../../emulator';
import { AppError } from '../../src/domain/app-error';
import { createSyncStore } from '../../src/state/sync-store';
import { STATE_MAP_NAME, type StateStore } from '../../src/state/state-store';
import { sdkFor } from '../emulator/support';
import { injectFault, syncSetup, T0 } from '../emulator/sync-support';

function storeOn(
  emulator: ReturnType<typeof syncSetup>['emulator'],
  now = () => T0,
  serviceSid = EMULATOR_SYNC_SERVICE_SID,
  authToken?: string,
): StateStore {
  return createSyncStore(sdkFor(emulator, authToken), serviceSid, { now, retryAfter: () => 7 });
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

test('the Map is made on first use; a create succeeds once for a key, however many race', async () => {
  const { emulator, sync } = syncSetup();
  await expect(sync.syncMaps(STATE_MAP_NAME).fetch()).rejects.toMatchObject({ status: 404 });
  const store = storeOn(emulator);
  const created = await Promise.all(Array.from({ length: 25 }, (_, i) => store.create('k', { i }, 60)));
  expect(created.filter((item) => item !== undefined)).toHaveLength(1);
  expect((await sync.syncMaps(STATE_MAP_NAME).fetch()).uniqueName).toBe(STATE_MAP_NAME);
  expect(await store.get('k')).toEqual(created.find((item) => item !== undefined));
});

test('an update lands only at the revision that was read; a remove at a stale revision leaves the item', async () => {
  const { emulator } = syncSetup();
  const store = storeOn(emulator);
  const first = (await store.create('k', { n: 1 }, 60))!;
  const second = await store.update('k', { n: 2 }, 60, first.revision);
  expect(second?.data).toEqual({ n: 2 });
  // 25 writers that all read `second`: one wins.
  const racing = await Promise.all(
    Array.from({ length: 25 }, (_, i) => store.update('k', { n: 3 + i }, 60, second!.revision)),
  );
  expect(racing.filter((item) => item !== undefined)).toHaveLength(1);
  expect(await store.update('k', { n: 99 }, 60, first.revision)).toBeUndefined();
  await store.remove('k', first.revision);
  expect(await store.get('k')).toBeDefined();
  await store.remove('k');
  expect(await store.get('k')).toBeUndefined();
  expect(await store.update('k', { n: 1 }, 60, first.revision)).toBeUndefined();
  await store.remove('k');
});

test('an item past its date_expires reads as absent and is replaced by a create, though Sync has not collected it', async () => {
  const { emulator } = syncSetup();
  // The adapter's clock 2 minutes ahead of the emulator's: to it, a 60 s item has expired.
  const ahead = storeOn(emulator, () => T0 + 120_000);
  const store = storeOn(emulator);
  await store.create('k', { old: true }, 60);
  expect(await ahead.get('k')).toBeUndefined();
  const replaced = await ahead.create('k', { fresh: true }, 600);
  expect(replaced?.data).toEqual({ fresh: true });
  expect((await store.get('k'))?.data).toEqual({ fresh: true });
});

test("fails closed: an outage or Sync's rate limit is 503 state_unavailable with Sync's code; bad credentials or a missing service is 500 naming the fix", async () => {
  const { emulator } = syncSetup();
  const store = storeOn(emulator);
  await store.create('k', {}, 60);
  await injectFault(emulator, { match: { path: '/Items' }, status: 503, code: 20503 });
  expect(await failure(store.get('k'))).toMatchObject({ code: 'state_unavailable', status: 503, twilioCode: 20503 });
  await injectFault(emulator, { match: { path: '/Items' }, status: 429, code: 20429, retryAfter: 7 });
  expect(await failure(store.create('other', {}, 60))).toMatchObject({
    code: 'state_unavailable',
    twilioCode: 20429,
    retryAfter: 7,
  });
  await injectFault(emulator, { match: { path: '/Items' }, delayMs: 10, drop: true });
  expect((await failure(store.update('k', {}, 60, 'x'))).code).toBe('state_unavailable');

  expect((await failure(storeOn(emulator, () => T0, EMULATOR_SYNC_SERVICE_SID, 'f'.repeat(32)).get('k'))).code).toBe(
    'server_misconfigured',
  );
  const missing = await failure(storeOn(emulator, () => T0, `IS${'0'.repeat(32)}`).create('k', {}, 60));
  expect(missing.code).toBe('server_misconfigured');
  expect(missing.message).toContain('/create-service');
});
