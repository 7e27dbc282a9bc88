import type * as z from 'zod/mini';
import { AppError } from '../domain/app-error';
import type { ErrorCode } from '../domain/error-codes';
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
import type { RouteAuth, SecurityScheme } from './route-auth';
import type { ServerlessCallback } from '@twilio-labs/serverless-runtime-types/types';

/** The runtime's `context`: environment variables plus getTwilioClient. */
export type RuntimeContext = TwilioClientFactory & Record<string, unknown>;

/** The runtime's callback, as the Functions runtime's own types declare it. */
export type RuntimeCallback = ServerlessCallback;

interface RouteContext<Input, Who, ServiceSid, Store = undefined> {
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

export interface RouteOutcome<Body = unknown> {
  body: Body;
  /** Default 200. */
  status?: number;
  /** Masked destination for the request log. */
  to?: string;
}

/** Success bodies by HTTP status, each a builder of its zod/mini schema (src/contract/responses.ts): only the build and the tests run them. */
export type ResponseSchemas = Partial<Record<200 | 201, () => z.ZodMiniType>>;

/** The body `run` may answer: what one of the declared response schemas describes. */
type ResponseBody<R extends ResponseSchemas> = {
  [K in keyof R]: R[K] extends () => infer T ? (T extends z.ZodMiniType ? z.output<T> : never) : never;
}[keyof R];

type RouteTag = 'verification' | 'tokens' | 'admin' | 'totp';

/**
 * What a route declares for its contract, and nothing else states: the build collects it from
 * every function (`handler.declaration`) into the OpenAPI document, the typed client's types and
 * the local stack's methods (src/contract/openapi.ts).
 */
export interface RouteDeclaration {
  name: string;
  methods: readonly ('GET' | 'POST')[];
  summary: string;
  description?: string;
  tag: RouteTag;
  /** The parameters' schema; none for a GET without parameters. */
  input?: () => z.ZodMiniType;
  responses: ResponseSchemas;
  /** Error codes beyond COMMON_ERRORS (and STATE_ERRORS, which `state: true` brings). */
  errors: readonly ErrorCode[];
  security?: SecurityScheme;
  state: boolean;
  /** A Cache-Control other than no-store on success. */
  cacheControl?: string;
}

/**
 * One route: who may call, what it takes, what it answers, what it does. The handler checks in
 * this order: method, origin, the runtime's `request` and the body's size, `auth` (before any
 * parameter is parsed, so an admin route tells a stranger nothing about its parameters), the body
 * as sent (UTF-8, a Content-Type the runtime reads), `input`, `service`, then `run`. A check that
 * must come later (check-verify's token issuer, before the code is spent) stays in `run`.
 */
export interface RouteDefinition<
  S extends z.ZodMiniType,
  Who,
  Service extends boolean,
  State extends boolean,
  R extends ResponseSchemas,
> {
  /** The functions/*.ts file name: the URL path, and the operationId in camelCase. */
  name: string;
  summary: string;
  description?: string;
  tag: RouteTag;
  /** Methods the route serves besides OPTIONS (default POST only). */
  methods?: readonly ('GET' | 'POST')[];
  /** Who may call: the check and the OpenAPI security scheme it implements. */
  auth?: RouteAuth<Who>;
  /** The strict schema of the parameters (or its lazy builder). */
  input?: S | (() => S);
  /** What a success answers, by status. */
  responses: R;
  /** The error codes this route answers beyond those every route can (COMMON_ERRORS). */
  errors: readonly ErrorCode[];
  /** The route talks to the Verify Service: VERIFY_SERVICE_SID must be set. */
  service?: Service;
  /** The route keeps state across requests (locks, budgets, single-use records): SYNC_SERVICE_SID must be set. */
  state?: State;
  /** A public document (/jwks): any Origin may read it, with `Access-Control-Allow-Origin: *`. */
  anyOrigin?: boolean;
  /** Cache-Control on success (default no-store). */
  cacheControl?: string;
  run(
    context: RouteContext<
      z.output<S>,
      Who,
      Service extends true ? string : undefined,
      State extends true ? StateStore : undefined
    >,
  ): Promise<RouteOutcome<ResponseBody<R>>>;
}

/** CORS for a public document: readable from any origin, never with credentials. */
const PUBLIC_CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
};

/**
 * The whole request's budget. The runtime kills a function at 10 s with a non-JSON error;
 * a route that makes several Verify calls (create-service) could exceed that even when
 * every call stays under VERIFY_TIMEOUT_MS, so we stop waiting first and answer 504.
 */
const REQUEST_DEADLINE_MS = 8500;

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('verify_timeout')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Wraps a route into a Functions handler: method and CORS handling, config, JSON
 * responses, one log line, and the guarantee that every failure is a JSON error.
 */
export function defineRoute<
  R extends ResponseSchemas,
  S extends z.ZodMiniType = z.ZodMiniType<undefined>,
  Who = undefined,
  Service extends boolean = false,
  State extends boolean = false,
>(route: RouteDefinition<S, Who, Service, State, R>) {
  const methods: readonly string[] = route.methods ?? ['POST'];
  // The runtime cannot tell HEAD from GET (it serves HEAD as GET), so a GET route allows both.
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  // A lazy schema is built by the first request that needs it, once.
  let built: S | undefined;
  const schema = (): S | undefined => (built ??= typeof route.input === 'function' ? route.input() : route.input);

  const successHeaders: Record<string, string> | undefined = route.cacheControl
    ? { 'Cache-Control': route.cacheControl }
    : undefined;

  async function run(
    context: RuntimeContext,
    config: Config,
    event: FunctionEvent,
    params: Record<string, unknown>,
    logTo: (masked: string) => void,
  ): Promise<RouteOutcome> {
    const who = route.auth ? await route.auth.check(event, config) : (undefined as Who);
    assertBodyAsSent(event, params);
    const inputSchema = schema();
    const input = (inputSchema ? parseInput(inputSchema, params) : undefined) as z.output<S>;
    const serviceSid = (route.service ? requireServiceSid(config) : undefined) as Service extends true
      ? string
      : undefined;
    let connection: VerifyConnection | undefined;
    const connect = () => (connection ??= connectVerify(context, config));
    const store = (route.state ? openStateStore(context, config, connect) : undefined) as State extends true
      ? StateStore
      : undefined;
    return route.run({ input, who, serviceSid, config, event, connect, store, logTo });
  }

  // What the route declares rides on the handler: the build turns it into the contract.
  const declaration: RouteDeclaration = {
    name: route.name,
    methods: route.methods ?? ['POST'],
    summary: route.summary,
    ...(route.description !== undefined ? { description: route.description } : {}),
    tag: route.tag,
    ...(route.input !== undefined ? { input: schema as () => z.ZodMiniType } : {}),
    responses: route.responses,
    errors: route.errors,
    ...(route.auth ? { security: route.auth.scheme } : {}),
    state: route.state === true,
    ...(route.cacheControl !== undefined ? { cacheControl: route.cacheControl } : {}),
  };
  return Object.assign(handler, { declaration });

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
          throw new AppError(
            'method_not_allowed',
            methods.includes('POST') ? {} : { message: `Use ${methods.join(' or ')}.` },
          );
        }
        if (!route.anyOrigin && !isOriginAllowed(event, config.allowedOrigins, config.domainName))
          throw new AppError('origin_not_allowed');
        // Method, Origin and admin checks read `event.request`, which a caller's own `request`
        // parameter replaces: nothing acts on a request whose runtime data is not shaped like the runtime's.
        if (!hasRuntimeShapedRequest(event)) {
          throw new AppError('invalid_request', {
            field: 'request',
            message: '`request` is reserved for the runtime.',
          });
        }
        const params = eventParams(event);
        const result = await withinDeadline(
          run(context, config, event, params, (masked) => (to = masked)),
          REQUEST_DEADLINE_MS,
        );
        status = result.status ?? 200;
        outcome = 'ok';
        to = result.to ?? to;
        response = jsonResponse(
          runtimeResponse,
          status,
          result.body,
          successHeaders ? { ...cors, ...successHeaders } : cors,
        );
      }
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('internal_error');
      if (!(err instanceof AppError))
        console.error(
          JSON.stringify({
            level: 'error',
            route: route.name,
            unexpected: err instanceof Error ? err.name : typeof err,
          }),
        );
      status = error.status;
      outcome = error.code;
      twilioCode = error.twilioCode;
      const headers = { ...cors, ...errorHeaders(error) };
      if (headers.Allow) headers.Allow = allow;
      response = jsonResponse(runtimeResponse, status, errorBody(error), headers);
    }
    consoleLogger({
      route: route.name,
      status,
      outcome,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      twilioCode,
      to,
    });
    callback(null, response);
  }
}
