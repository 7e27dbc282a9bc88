import type * as z from 'zod/mini';
import { AppError } from '../domain/app-error';
import { readConfig, requireServiceSid, type Config } from '../config';
import { parseInput } from '../domain/validate';
import { openStateStore } from '../state/open-store';
import type { StateStore } from '../state/state-store';
import { connectVerify, type TwilioClientFactory, type VerifyConnection } from '../verify/verify-client';
import { assertBodyAsSent } from './body-checks';
import { corsHeaders, isOriginAllowed } from './cors';
import { consoleLogger } from './log';
import { eventParams, hasRuntimeShapedRequest, inferMethod, type FunctionEvent } from './request';
import { errorBody, errorHeaders, jsonResponse, runtimeResponse, type ResponseLike } from './response';

/** The runtime's `context`: environment variables plus getTwilioClient. */
export type RuntimeContext = TwilioClientFactory & Record<string, unknown>;

export type RuntimeCallback = (error: unknown, response?: ResponseLike) => void;

export interface RouteContext<Input, Who, ServiceSid, Store = undefined> {
  /** The parameters as the route's schema parsed them. */
  input: Input;
  /** What `auth` returned (e.g. the subject a proof token names). */
  who: Who;
  /** VERIFY_SERVICE_SID, checked, on routes that declare `service: true`. */
  serviceSid: ServiceSid;
  config: Config;
  event: FunctionEvent;
  /** Opens the Twilio client lazily (once per request), so bad input never costs a client. */
  connect(): VerifyConnection;
  /** The shared state store (Sync in SYNC_SERVICE_SID), on routes that declare `state: true`. */
  store: Store;
  /** Names the (masked) destination in the request's log line, also when `run` then fails. */
  logTo(masked: string): void;
}

export interface RouteOutcome {
  body: unknown;
  /** Default 200. */
  status?: number;
  /** Masked destination for the request log. */
  to?: string;
  /** Extra response headers, e.g. a Cache-Control other than no-store. */
  headers?: Record<string, string>;
}

/**
 * One route: who may call, what it takes, what it does. The handler checks in this order:
 * method, origin, the runtime's `request` and the body's size, `auth` (before any parameter is
 * parsed, so an admin route tells a stranger nothing about its parameters), the body as sent
 * (UTF-8, a Content-Type the runtime reads), `input`, `service`,
 * then `run`. A check that must come later (check-verify's token issuer, before the code is
 * spent) stays in `run`.
 */
export interface RouteDefinition<S extends z.ZodMiniType, Who, Service extends boolean, State extends boolean = false> {
  /** The functions/*.ts file name, and its entry in src/contract/routes.ts. */
  name: string;
  /** Methods the route serves besides OPTIONS (default POST only). */
  methods?: readonly ('GET' | 'POST')[];
  /** Throws the API's error for a caller who may not call (requireAdmin, requireProofToken). */
  auth?: (event: FunctionEvent, config: Config) => Who | Promise<Who>;
  /** The strict schema of the parameters (or its lazy builder); the contract test checks it is the registry's. */
  input?: S | (() => S);
  /** The route talks to the Verify Service: VERIFY_SERVICE_SID must be set. */
  service?: Service;
  /** The route keeps state across requests (locks, budgets, single-use records): SYNC_SERVICE_SID must be set. */
  state?: State;
  /** A public document (/jwks): any Origin may read it, with `Access-Control-Allow-Origin: *`. */
  anyOrigin?: boolean;
  run(context: RouteContext<z.output<S>, Who, Service extends true ? string : undefined, State extends true ? StateStore : undefined>): Promise<RouteOutcome>;
}

/** CORS for a public document: readable from any origin, never with credentials. */
const PUBLIC_CORS: Readonly<Record<string, string>> = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' };

/**
 * The whole request's budget. The runtime kills a function at 10 s with a non-JSON error;
 * a route that makes several Verify calls (create-service) could exceed that even when
 * every call stays under VERIFY_TIMEOUT_MS, so we stop waiting first and answer 504.
 */
export const REQUEST_DEADLINE_MS = 8500;

// One promise and one timer per request (not Promise.race plus finally: four promises on the
// hot path of every call).
function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AppError('verify_timeout')), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Wraps a route into a Functions handler: method and CORS handling, config, JSON
 * responses, one log line, and the guarantee that every failure is a JSON error.
 */
export function defineRoute<S extends z.ZodMiniType = z.ZodMiniType<undefined>, Who = undefined, Service extends boolean = false, State extends boolean = false>(
  route: RouteDefinition<S, Who, Service, State>,
) {
  const methods: readonly string[] = route.methods ?? ['POST'];
  // The runtime cannot tell HEAD from GET (it serves HEAD as GET), so a GET route allows both.
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const schema = (): S | undefined => (typeof route.input === 'function' ? route.input() : route.input);

  async function run(context: RuntimeContext, config: Config, event: FunctionEvent, params: Record<string, unknown>, logTo: (masked: string) => void): Promise<RouteOutcome> {
    const who = route.auth ? await route.auth(event, config) : (undefined as Who);
    assertBodyAsSent(event, params);
    const inputSchema = schema();
    const input = (inputSchema ? parseInput(inputSchema, params) : undefined) as z.output<S>;
    const serviceSid = (route.service ? requireServiceSid(config) : undefined) as Service extends true ? string : undefined;
    let connection: VerifyConnection | undefined;
    const connect = () => (connection ??= connectVerify(context, config));
    const store = (route.state ? openStateStore(context, config, connect) : undefined) as State extends true ? StateStore : undefined;
    return route.run({ input, who, serviceSid, config, event, connect, store, logTo });
  }

  // What the route declares rides on the handler, so a test can hold it to its entry in the
  // contract (src/contract/routes.ts) and check its answers against it.
  return Object.assign(handler, { route: route.name, input: schema, methods, auth: route.auth, state: route.state === true });

  async function handler(context: RuntimeContext, event: FunctionEvent, callback: RuntimeCallback): Promise<void> {
    const started = performance.now();
    let cors: Record<string, string> = {};
    let status = 500;
    let outcome = 'internal_error';
    let twilioCode: number | undefined;
    let to: string | undefined;
    let response: ResponseLike;
    try {
      const config = readConfig(context);
      cors = route.anyOrigin ? { ...PUBLIC_CORS } : corsHeaders(event, config.allowedOrigins);
      const method = inferMethod(event);
      if (method === 'OPTIONS') {
        status = 204;
        outcome = 'preflight';
        response = runtimeResponse();
        response.setStatusCode(204);
        for (const [key, value] of Object.entries(cors)) response.appendHeader(key, value);
      } else {
        if (!methods.includes(method)) {
          throw new AppError('method_not_allowed', methods.includes('POST') ? {} : { message: `Use ${methods.join(' or ')}.` });
        }
        if (!route.anyOrigin && !isOriginAllowed(event, config.allowedOrigins, config.domainName)) throw new AppError('origin_not_allowed');
        // Method, Origin and admin checks read `event.request`, which a caller's own `request`
        // parameter replaces: nothing acts on a request whose runtime data is not shaped like the runtime's.
        if (!hasRuntimeShapedRequest(event)) {
          throw new AppError('invalid_request', { field: 'request', message: '`request` is reserved for the runtime.' });
        }
        const params = eventParams(event);
        const result = await withinDeadline(run(context, config, event, params, (masked) => (to = masked)), REQUEST_DEADLINE_MS);
        status = result.status ?? 200;
        outcome = 'ok';
        to = result.to ?? to;
        response = jsonResponse(runtimeResponse, status, result.body, result.headers ? { ...cors, ...result.headers } : cors);
      }
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('internal_error');
      if (!(err instanceof AppError)) console.error(JSON.stringify({ level: 'error', route: route.name, unexpected: err instanceof Error ? err.name : typeof err }));
      status = error.status;
      outcome = error.code;
      twilioCode = error.twilioCode;
      const headers = { ...cors, ...errorHeaders(error) };
      if (headers.Allow) headers.Allow = allow;
      response = jsonResponse(runtimeResponse, status, errorBody(error), headers);
    }
    consoleLogger({ route: route.name, status, outcome, latencyMs: Math.round((performance.now() - started) * 100) / 100, twilioCode, to });
    callback(null, response);
  }
}
