/** Shared helpers for the Sync suites: an emulator on a fixed clock, the SDK's Sync service, raw /v1 calls. */
import { EMULATOR_SYNC_SERVICE_SID, createEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { BASIC_AUTH, sdkFor } from './support';

/** A whole second, so TTLs fall on exact `date_expires` values. */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export function syncSetup(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ now: () => T0, ...options });
  const client = sdkFor(emulator);
  return { emulator, client, sync: client.sync.v1.services(EMULATOR_SYNC_SERVICE_SID) };
}

/** A /v1 call through `handle`, for what the SDK will not send (missing Key, raw headers). */
export async function rawV1(
  emulator: Emulator,
  method: string,
  path: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const query = method === 'GET' && Object.keys(params).length > 0 ? `?${new URLSearchParams(params)}` : '';
  const response = await emulator.handle({
    method,
    path: `${path}${query}`,
    headers: { authorization: BASIC_AUTH, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: method === 'GET' ? '' : new URLSearchParams(params).toString(),
  });
  return { ...response, json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
}

/** Adds a fault through the developer API, as a test or tool would. */
export async function injectFault(emulator: Emulator, spec: object): Promise<void> {
  const answer = await emulator.handle({
    method: 'POST',
    path: '/emulator/v1/faults',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (answer.status !== 201) throw new Error(`fault refused: ${answer.body}`);
}

export const itemsPath = (map: string) => `/v1/Services/${EMULATOR_SYNC_SERVICE_SID}/Maps/${map}/Items`;
