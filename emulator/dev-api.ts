import { z } from 'zod';
import { seedAttempts, seedAttemptsBody } from './attempt-seed';
import { toTwilioDate } from './clock';
import type { EmulatorState } from './context';
import { faultSpecSchema } from './faults';
import { INBOX_PAGE_HTML } from './inbox-page';
import { jsonResponse, parseJsonObject, type ParsedRequest } from './request';
import { CHANNELS, type EmulatorMessage, type EmulatorResponse } from './types';

/**
 * The developer API beside /v2: plain JSON, no auth (the server only binds to loopback).
 *
 *   GET    /                        inbox page (HTML)
 *   GET    /emulator/v1/health      {ok, accountSid, serviceSid}
 *   GET    /emulator/v1/messages    ?to=…  → {messages: EmulatorMessage[]} oldest first
 *   POST   /emulator/v1/reset       → {ok: true}
 *   GET    /emulator/v1/clock       → {now}
 *   POST   /emulator/v1/clock       {advanceSeconds} → {now}
 *   GET    /emulator/v1/delivery    → {outcomes: {channel: outcome}}
 *   POST   /emulator/v1/delivery    {channel, outcome: delivered|undelivered} → {outcomes}
 *   GET    /emulator/v1/faults      → {faults}
 *   POST   /emulator/v1/faults      FaultSpec → 201 {fault}
 *   DELETE /emulator/v1/faults      → {cleared}
 *   POST   /emulator/v1/seed-attempts {count?, days?, seed?, serviceSid?} → 201 {seeded, serviceSid, days}
 * Errors: {error: string} with 400, 404 or 405.
 */
export interface DevApiActions {
  reset(): void;
  messages(filter: { to?: string }): EmulatorMessage[];
  serviceSid: string | undefined;
}

const clockBody = z.object({ advanceSeconds: z.number().min(0) });
const deliveryBody = z.object({ channel: z.enum(CHANNELS), outcome: z.enum(['delivered', 'undelivered']) });
const deliveryNow = (state: EmulatorState) => jsonResponse(200, { outcomes: Object.fromEntries(state.store.deliveryOutcomes) });

const fail = (status: number, error: string) => jsonResponse(status, { error });

type Handler = (state: EmulatorState, request: ParsedRequest, actions: DevApiActions) => EmulatorResponse;

/** Parses a JSON body with a zod schema; a bad body is a 400 naming the problem. */
function withBody<S extends z.ZodType>(schema: S, then: (body: z.output<S>, state: EmulatorState) => EmulatorResponse): Handler {
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
        'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        'cache-control': 'no-store',
      },
      body: INBOX_PAGE_HTML,
    }),
  },
  // Browsers ask for it; an empty answer keeps their consoles quiet.
  '/favicon.ico': { GET: () => ({ status: 204, headers: {}, body: '' }) },
  '/emulator/v1/health': {
    GET: (state, _request, actions) =>
      jsonResponse(200, { ok: true, accountSid: state.config.accountSid, serviceSid: actions.serviceSid ?? null }),
  },
  '/emulator/v1/messages': {
    GET: (_state, request, actions) =>
      jsonResponse(200, { messages: actions.messages({ to: request.query.get('to') ?? undefined }) }),
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
      withBody(seedAttemptsBody, (body) => jsonResponse(201, seedAttempts(state, body, actions.serviceSid)))(state, request, actions),
  },
  '/emulator/v1/faults': {
    GET: (state) => jsonResponse(200, { faults: state.faults.list() }),
    POST: withBody(faultSpecSchema, (spec, state) => jsonResponse(201, { fault: state.faults.add(spec) })),
    DELETE: (state) => jsonResponse(200, { cleared: state.faults.clear() }),
  },
};

export function handleDevApi(state: EmulatorState, request: ParsedRequest, actions: DevApiActions): EmulatorResponse {
  const methods = routes[request.pathname];
  if (!methods) return fail(404, `no such emulator endpoint: ${request.pathname}`);
  const handler = methods[request.method];
  if (!handler) return fail(405, `${request.method} is not supported on ${request.pathname}`);
  return handler(state, request, actions);
}
