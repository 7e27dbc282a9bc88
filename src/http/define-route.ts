import { AppError } from '../domain/app-error';
import { readConfig, type Config } from '../config';
import { connectVerify, type TwilioClientFactory, type VerifyConnection } from '../verify/verify-client';
import { corsHeaders, isOriginAllowed } from './cors';
import { consoleLogger, type Logger } from './log';
import { eventParams, hasRuntimeShapedRequest, inferMethod, type FunctionEvent } from './request';
import { errorBody, errorHeaders, jsonResponse, runtimeResponse, type ResponseFactory, type ResponseLike } from './response';

/** The runtime's `context`: environment variables plus getTwilioClient. */
export type RuntimeContext = TwilioClientFactory & Record<string, unknown>;

export type RuntimeCallback = (error: unknown, response?: ResponseLike) => void;

export interface RouteInput {
  config: Config;
  event: FunctionEvent;
  /** Caller parameters without runtime metadata. */
  params: Record<string, unknown>;
  /** Opens the Twilio client lazily, so bad input never costs a client. */
  connect(): VerifyConnection;
}

export interface RouteOutcome {
  status: number;
  body: unknown;
  /** Masked destination for the request log. */
  to?: string;
  /** Extra response headers, e.g. a Cache-Control other than no-store. */
  headers?: Record<string, string>;
}

export interface RouteDefinition {
  name: string;
  /** Methods the route serves besides OPTIONS (default POST only). */
  methods?: readonly ('GET' | 'POST')[];
  run(input: RouteInput): Promise<RouteOutcome>;
}

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

export interface RouteDependencies {
  makeResponse?: ResponseFactory;
  log?: Logger;
  now?: () => number;
}

/**
 * Wraps a route into a Functions handler: method and CORS handling, config, JSON
 * responses, one log line, and the guarantee that every failure is a JSON error.
 */
export function defineRoute(route: RouteDefinition, deps: RouteDependencies = {}) {
  const makeResponse = deps.makeResponse ?? runtimeResponse;
  const log = deps.log ?? consoleLogger;
  const now = deps.now ?? (() => performance.now());
  const methods: readonly string[] = route.methods ?? ['POST'];
  const allow = `${methods.join(', ')}, OPTIONS`;

  // The route's name rides on the handler so tests can check its answers against the contract.
  return Object.assign(handler, { route: route.name });

  async function handler(context: RuntimeContext, event: FunctionEvent, callback: RuntimeCallback): Promise<void> {
    const started = now();
    let cors: Record<string, string> = {};
    let status = 500;
    let outcome = 'internal_error';
    let twilioCode: number | undefined;
    let to: string | undefined;
    let response: ResponseLike;
    try {
      const config = readConfig(context);
      cors = corsHeaders(event, config.allowedOrigins);
      const method = inferMethod(event);
      if (method === 'OPTIONS') {
        status = 204;
        outcome = 'preflight';
        response = makeResponse();
        response.setStatusCode(204);
        for (const [key, value] of Object.entries(cors)) response.appendHeader(key, value);
      } else {
        if (!methods.includes(method)) {
          throw new AppError('method_not_allowed', methods.includes('POST') ? {} : { message: `Use ${methods.join(' or ')}.` });
        }
        if (!isOriginAllowed(event, config.allowedOrigins, config.domainName)) throw new AppError('origin_not_allowed');
        // Method, Origin and admin checks read `event.request`, which a caller's own `request`
        // parameter replaces: nothing acts on a request whose runtime data is not shaped like the runtime's.
        if (!hasRuntimeShapedRequest(event)) {
          throw new AppError('invalid_request', { field: 'request', message: '`request` is reserved for the runtime.' });
        }
        const params = eventParams(event);
        const result = await withinDeadline(
          route.run({ config, event, params, connect: () => connectVerify(context, config) }),
          REQUEST_DEADLINE_MS,
        );
        status = result.status;
        outcome = 'ok';
        to = result.to;
        response = jsonResponse(makeResponse, status, result.body, result.headers ? { ...cors, ...result.headers } : cors);
      }
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('internal_error');
      if (!(err instanceof AppError)) console.error(JSON.stringify({ level: 'error', route: route.name, unexpected: err instanceof Error ? err.name : typeof err }));
      status = error.status;
      outcome = error.code;
      twilioCode = error.twilioCode;
      const headers = { ...cors, ...errorHeaders(error) };
      if (headers.Allow) headers.Allow = allow;
      response = jsonResponse(makeResponse, status, errorBody(error), headers);
    }
    log({ route: route.name, status, outcome, latencyMs: Math.round((now() - started) * 100) / 100, twilioCode, to });
    callback(null, response);
  }
}
