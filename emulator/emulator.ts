import { createClock, toHttpDate } from './clock';
import type { EmulatorState } from './context';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, SYNC_BASE_URL, VERIFY_BASE_URL } from './defaults';
import { handleDevApi, type DevApiActions } from './dev-api';
import { errorBody, TWILIO_ERRORS } from './errors';
import { applyFault, createFaultQueue } from './faults';
import { createInProcessHttpClient } from './http-client';
import { jsonResponse, parseRequest } from './request';
import { createApiRouter } from './router';
import { attemptRoutes } from './routes/attempts';
import { rateLimitRoutes } from './routes/rate-limits';
import { seedService, serviceRoutes } from './routes/services';
import { verificationCheckRoutes } from './routes/verification-check';
import { verificationRoutes } from './routes/verifications';
import { challengeRoutes } from './routes/challenges';
import { entityRoutes } from './routes/entities';
import { factorRoutes } from './routes/factors';
import { listTotpFactors } from './totp-inbox';
import { createStore } from './store';
import { isValidUniqueName } from './sync/params';
import { syncRoutes } from './sync/routes';
import { seedSync } from './sync/routes/services';
import { isDestination, isTestCode } from './test-numbers';
import type { Emulator, EmulatorMessage, EmulatorOptions, EmulatorRequest, EmulatorResponse } from './types';

const routeV2 = createApiRouter({ prefix: '/v2', baseUrl: VERIFY_BASE_URL }, [
  ...serviceRoutes,
  ...verificationRoutes,
  ...verificationCheckRoutes,
  ...rateLimitRoutes,
  ...entityRoutes,
  ...factorRoutes,
  ...challengeRoutes,
  ...attemptRoutes,
]);
const routeV1 = createApiRouter({ prefix: '/v1', baseUrl: SYNC_BASE_URL }, syncRoutes);

/** The API a path belongs to (Sync's /v1, Verify's /v2), or undefined for the developer API. */
function apiFor(pathname: string) {
  if (pathname === '/v2' || pathname.startsWith('/v2/')) return routeV2;
  if (pathname === '/v1' || pathname.startsWith('/v1/')) return routeV1;
  return undefined;
}

function validateOptions(options: EmulatorOptions): void {
  for (const [destination, code] of Object.entries(options.testNumbers ?? {})) {
    if (!isDestination(destination) || !isTestCode(code)) {
      throw new Error(`Invalid test number ${destination}: expected E.164 or email, code 4-10 letters or digits`);
    }
  }
  const codeLength = options.seedService ? options.seedService.codeLength : undefined;
  if (codeLength !== undefined && !(Number.isInteger(codeLength) && codeLength >= 4 && codeLength <= 10)) {
    throw new Error('seedService.codeLength must be an integer from 4 to 10');
  }
  const sync = options.seedSync;
  if (sync && sync.sid !== undefined && !/^IS[0-9a-f]{32}$/.test(sync.sid)) {
    throw new Error('seedSync.sid must be IS followed by 32 lowercase hex digits');
  }
  const maps = sync ? (sync.maps ?? []) : [];
  for (const [index, name] of maps.entries()) {
    if (!isValidUniqueName(name))
      throw new Error(`seedSync.maps: "${name}" is not a valid Sync unique name (1-256 characters, not SID-shaped)`);
    if (maps.indexOf(name) !== index) throw new Error(`seedSync.maps: "${name}" is listed twice`);
  }
}

/** A stateful in-memory Twilio Verify v2 (and Sync v1 subset) emulator. Nothing in it knows who calls it. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  validateOptions(options);
  const state: EmulatorState = {
    config: {
      accountSid: options.accountSid ?? EMULATOR_ACCOUNT_SID,
      authToken: options.authToken ?? EMULATOR_AUTH_TOKEN,
      testNumbers: new Map(Object.entries(options.testNumbers ?? {})),
      seedService: options.seedService ?? {},
      seedSync: options.seedSync ?? {},
    },
    store: createStore(),
    clock: createClock(options.now),
    faults: createFaultQueue(),
  };
  const serviceSid = seedService(state)?.sid;
  const syncServiceSid = seedSync(state);

  const messages = (filter: { to?: string } = {}): EmulatorMessage[] =>
    (filter.to ? (state.store.messagesByTo.get(filter.to) ?? []) : state.store.messages).map((message) => ({
      ...message,
    }));

  const reset = (): void => {
    state.store.clear();
    state.faults.clear();
    state.clock.reset();
    seedService(state);
    seedSync(state);
  };

  const devActions: DevApiActions = { reset, messages, serviceSid, syncServiceSid };

  async function handle(request: EmulatorRequest): Promise<EmulatorResponse> {
    try {
      const parsed = parseRequest(request);
      const route = apiFor(parsed.pathname);
      if (!route) return handleDevApi(state, parsed, devActions);
      const fault = state.faults.take(parsed.method, parsed.pathname);
      // Without a fault the answer is computed right away: no extra promise to wait on.
      if (!fault) return route(state, parsed);
      const response = await applyFault(fault, async () => route(state, parsed));
      // Twilio stamps every answer with Date; here it is the emulator's (movable) clock, so
      // clients that measure time by the server see the same time the codes expire by.
      // The routers stamp their own answers; the fault's own answers are stamped here.
      return { ...response, headers: { date: toHttpDate(state.clock.now()), ...response.headers } };
    } catch (error) {
      const { code, status } = TWILIO_ERRORS.internalError;
      return jsonResponse(status, errorBody(code, status, `Emulator failure: ${String(error)}`));
    }
  }

  return {
    handle,
    httpClient: createInProcessHttpClient(handle),
    messages,
    totpFactors: () => listTotpFactors(state),
    reset,
    advanceClock: (seconds) => state.clock.advance(seconds),
    setDeliveryOutcome: (channel, outcome) => {
      state.store.deliveryOutcomes.set(channel, outcome);
    },
    now: () => state.clock.now(),
    accountSid: state.config.accountSid,
    authToken: state.config.authToken,
    serviceSid,
    syncServiceSid,
  };
}
