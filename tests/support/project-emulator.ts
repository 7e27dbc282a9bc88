import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { RATE_LIMITS } from '../../src/domain/rate-limits';

/** The emulator as `npm start` seeds it: the demo service with this project's rate limits. */
export function createProjectEmulator(options: EmulatorOptions = {}): Emulator {
  return createEmulator({ ...options, seedService: { ...(options.seedService || {}), rateLimits: RATE_LIMITS } });
}
