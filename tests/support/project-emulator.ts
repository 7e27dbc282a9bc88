import twilio from 'twilio';
import { createEmulator, EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator, type EmulatorOptions } from '../../emulator';
import { RATE_LIMITS } from '../../src/domain/rate-limits';
import { createMemoryStore } from '../../src/state/memory-store';
import type { StateStore } from '../../src/state/state-store';

const stores = new WeakMap<Emulator, StateStore>();

/**
 * What a runtime context needs for the functions' shared state next to `emulator`: one store
 * per emulator, on the emulator's clock, as every instance of a deployment shares one.
 */
export function stateFor(emulator: Emulator): { getStateStore: () => StateStore } {
  let store = stores.get(emulator);
  if (!store) {
    store = createMemoryStore(() => emulator.now());
    stores.set(emulator, store);
  }
  const shared = store;
  return { getStateStore: () => shared };
}

/** The emulator as `npm start` seeds it: the demo service with this project's rate limits. */
export function createProjectEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulator({ ...options, seedService: { ...(options.seedService || {}), rateLimits: RATE_LIMITS } });
}

/**
 * A fresh project emulator before each test, its time standing still unless the test moves it:
 * a real second passing between two calls would otherwise change the exact waits tests expect.
 */
export function useFrozenEmulator(onFresh: (emulator: Emulator) => void): void {
  beforeEach(() => {
    const frozen = Date.now();
    onFresh(createProjectEmulator({ now: () => frozen }));
  });
}

/** The runtime's `context` for a function whose Twilio client reaches `emulator` through the real SDK. */
export function emulatorContext(emulator: Emulator, env: Record<string, string> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    ...env,
    ...stateFor(emulator),
    getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
  };
}
