import twilio from 'twilio';
import {
  createEmulator,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  type Emulator,
  type EmulatorOptions,
} from '../../emulator';
import { RATE_LIMITS } from '../../src/domain/rate-limits';

/**
 * What a runtime context needs for the functions' shared state next to `emulator`: its Sync
 * Service, reached through the real SDK like Verify (the Map is made on first use).
 */
export function stateFor(_emulator: Emulator): { SYNC_SERVICE_SID: string } {
  return { SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID };
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
