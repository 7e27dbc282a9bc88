import { z } from 'zod';
import { seedAttempts, seedAttemptsBody } from './attempt-seed';
import { toTwilioDate } from './clock';
import type { EmulatorState } from './context';
import { faultSpecSchema } from './faults';
import { INBOX_PAGE_HTML } from './inbox-page';
import { listTotpFactors } from './totp-inbox';
import { jsonResponse, parseJsonObject, type ParsedRequest } from './request';
import { CHANNELS, type EmulatorMessage, type EmulatorResponse } from './types';

/**
 * The developer API beside /v1 and /v2: plain JSON, no auth (the server only binds to loopback).
 *
 *   GET    /                        inbox page (HTML)
 *   GET    /emulator/v1/health      {ok, accountSid, serviceSid, syncServiceSid}
 *   GET    /emulator/v1/messages    ?to=…  → {messages: EmulatorMessage[]} oldest first
 *   GET    /emulator/v1/factors     → {factors: EmulatorTotpFactor[]} newest first, each with its current code
 *   POST   /emulator/v1/reset       → {ok: true}
 *   GET    /emulator/v1/clock       → {now}
 *   POST   /emulator/v1/clock       {advanceSeconds} → {now}
 *   GET    /emulator/v1/delivery    → {outcomes: {channel: outcome}}
 *   POST   /emulator/v1/delivery    {channel, outcome: delivered|undelivered} → {outcomes}
 *   GET    /emulator/v1/faults      → {faults}
 *   POST   /emulator/v1/faults      FaultSpec → 201 {fault}
 *   DELETE /emulator/v1/faults      → {cleared}
 *   POST   /emulator/v1/service-settings {serviceSid?, customFriendlyNameEnabled?, mailer?}
 *          → what Twilio sets up outside the API (Console or Support) for a service
 *   POST   /emulator/v1/seed-attempts {count?, days?, seed?, serviceSid?} → 201 {seeded, serviceSid, days}
 * Errors: {error: string} with 400, 403, 404, 405 or 415.
 *
 * Every POST and DELETE passes one guard first (so endpoints added later get it too): a
 * request whose Origin is not this emulator's own page is refused (403), and so is a body
 * that is not JSON (415). A web page can then neither reset nor rig the emulator: a
 * cross-site form or text/plain fetch carries a foreign Origin, and a JSON one needs a
 * preflight the emulator never grants.
 */
export interface DevApiActions {
  reset(): void;
  messages(filter: { to?: string }): EmulatorMessage[];
  serviceSid: string | undefined;
  syncServiceSid: string | undefined;
}

const settingsBody = z.strictObject({
  serviceSid: z.string().optional(),
  customFriendlyNameEnabled: z.boolean().optional(),
  mailer: z.boolean().optional(),
});
const clockBody = z.object({ advanceSeconds: z.number().min(0) });
const deliveryBody = z.object({ channel: z.enum(CHANNELS), outcome: z.enum(['delivered', 'undelivered']) });
const deliveryNow = (state: EmulatorState) =>
  jsonResponse(200, { outcomes: Object.fromEntries(state.store.deliveryOutcomes) });

const fail = (status: number, error: string) => jsonResponse(status, { error });

type Handler = (state: EmulatorState, request: ParsedRequest, actions: DevApiActions) => EmulatorResponse;

/** Parses a JSON body with a zod schema; a bad body is a 400 naming the problem. */
function withBody<S extends z.ZodType>(
  schema: S,
  then: (body: z.output<S>, state: EmulatorState) => EmulatorResponse,
): Handler {
  return (state, request) => {
    const json = parseJsonObject(request.body);
    if (!json) return fail(400, 'body must be a JSON object');
    const parsed = schema.safeParse(json);
    if (!parsed.success) return fail(400, z.prettifyError(parsed.error));
    return then(parsed.data, state);
  };
}

const clockNow = (state: EmulatorState) => jsonResponse(200, { now: toTwilioDate(state.clock.now()) });

const routes: Record<string, Partial<Record<string, Handler>>> = {
  '/': {
    GET: () => ({
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        // The page is self-contained; this also proves it fetches nothing but its own API.
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        'cache-control': 'no-store',
      },
      body: INBOX_PAGE_HTML,
    }),
  },
  // Browsers ask for it; an empty answer keeps their consoles quiet.
  '/favicon.ico': { GET: () => ({ status: 204, headers: {}, body: '' }) },
  '/emulator/v1/health': {
    GET: (state, _request, actions) =>
      jsonResponse(200, {
        ok: true,
        accountSid: state.config.accountSid,
        serviceSid: actions.serviceSid ?? null,
        syncServiceSid: actions.syncServiceSid ?? null,
      }),
  },
  '/emulator/v1/messages': {
    GET: (_state, request, actions) =>
      jsonResponse(200, { messages: actions.messages({ to: destinationParam(request.query.get('to')) }) }),
  },
  '/emulator/v1/service-settings': {
    POST: withBody(settingsBody, (body, state) => {
      // Default: the first service, which is the seeded one when there is one.
      const sid = body.serviceSid ?? [...state.store.services.keys()][0];
      const service = sid === undefined ? undefined : state.store.services.get(sid);
      if (!service) return fail(404, `no such service: ${sid ?? '(none)'}`);
      service.customFriendlyNameEnabled = body.customFriendlyNameEnabled ?? service.customFriendlyNameEnabled;
      service.mailer = body.mailer ?? service.mailer;
      return jsonResponse(200, {
        serviceSid: service.sid,
        customFriendlyNameEnabled: service.customFriendlyNameEnabled,
        mailer: service.mailer,
      });
    }),
  },
  '/emulator/v1/factors': {
    GET: (state) => jsonResponse(200, { factors: listTotpFactors(state) }),
  },
  '/emulator/v1/reset': {
    POST: (_state, _request, actions) => {
      actions.reset();
      return jsonResponse(200, { ok: true });
    },
  },
  '/emulator/v1/clock': {
    GET: clockNow,
    POST: withBody(clockBody, (body, state) => {
      state.clock.advance(body.advanceSeconds);
      return clockNow(state);
    }),
  },
  '/emulator/v1/delivery': {
    GET: deliveryNow,
    POST: withBody(deliveryBody, (body, state) => {
      state.store.deliveryOutcomes.set(body.channel, body.outcome);
      return deliveryNow(state);
    }),
  },
  '/emulator/v1/seed-attempts': {
    POST: (state, request, actions) =>
      withBody(seedAttemptsBody, (body) => jsonResponse(201, seedAttempts(state, body, actions.serviceSid)))(
        state,
        request,
        actions,
      ),
  },
  '/emulator/v1/faults': {
    GET: (state) => jsonResponse(200, { faults: state.faults.list() }),
    POST: withBody(faultSpecSchema, (spec, state) => jsonResponse(201, { fault: state.faults.add(spec) })),
    DELETE: (state) => jsonResponse(200, { cleared: state.faults.clear() }),
  },
};

/**
 * `?to=+1…` unencoded arrives as ` 1…` (a query's `+` is a space): read a leading space
 * before digits as `+`, as the functions do with form bodies.
 */
function destinationParam(value: string | null): string | undefined {
  if (value === null) return undefined;
  return /^ \d/.test(value) ? `+${value.slice(1)}` : value;
}

/** The one guard in front of every state-changing call (see the header comment). */
function refuseCrossSite(request: ParsedRequest): EmulatorResponse | undefined {
  if (request.origin !== undefined && (request.host === undefined || request.origin !== `http://${request.host}`)) {
    return fail(
      403,
      `requests from ${request.origin} are refused: the developer API only takes calls from this machine's tools and the inbox page`,
    );
  }
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (request.body !== '' && type !== 'application/json') {
    return fail(415, 'the body must be JSON (Content-Type: application/json)');
  }
  return undefined;
}

export function handleDevApi(state: EmulatorState, request: ParsedRequest, actions: DevApiActions): EmulatorResponse {
  const methods = routes[request.pathname];
  if (!methods) return fail(404, `no such emulator endpoint: ${request.pathname}`);
  const handler = methods[request.method];
  if (!handler) return fail(405, `${request.method} is not supported on ${request.pathname}`);
  if (request.method === 'POST' || request.method === 'DELETE') {
    const refused = refuseCrossSite(request);
    if (refused) return refused;
  }
  return handler(state, request, actions);
}
