/**
 * Public API of the offline Twilio Verify v2 emulator (and its Sync v1 subset: Services, Maps, Map Items).
 *
 *   const emulator = createEmulator({ testNumbers: { '+15005550006': '123456' } });
 *   const client = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
 *   await client.verify.v2.services(EMULATOR_SERVICE_SID).verifications.create({ to, channel: 'sms' });
 *   emulator.messages({ to })  // what the person received, code included
 *
 * or over HTTP: `const server = await startEmulatorServer({ port: 0 })` (loopback only).
 */
export {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  SYNC_BASE_URL,
  VERIFY_BASE_URL,
} from './defaults';
export { createEmulator } from './emulator';
export { startEmulatorServer, isLoopbackHost } from './server';
export type { RunningEmulatorServer, StartEmulatorServerOptions } from './server';
export { parseTestNumbers } from './test-numbers';
export { createHttpClientFor, createInProcessHttpClient } from './http-client';
export type { HttpClientRequestOptions, HttpClientResponse, InProcessHttpClient } from './http-client';
export { TWILIO_ERRORS } from './errors';
export type { TwilioErrorBody } from './errors';
export { SYNC_ERRORS } from './sync/errors';
export type { FaultSpec } from './faults';
export { CHANNELS } from './types';
export type { EmulatorTotpFactor } from './totp-inbox';
export type {
  Channel,
  Emulator,
  EmulatorMessage,
  EmulatorOptions,
  EmulatorRequest,
  EmulatorResponse,
  RequestHandler,
  SeedServiceOptions,
  SeedSyncOptions,
} from './types';
