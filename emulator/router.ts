import { isAuthorized } from './auth';
import { toHttpDate } from './clock';
import type { EmulatorState, RouteContext } from './context';
import { TwilioApiError, notFound } from './errors';
import { JSON_TYPE, readParams, type ParsedRequest } from './request';
import { newSid } from './sids';
import type { EmulatorResponse } from './types';

type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface ApiResult {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** The body already serialized (Attempts pages join cached text: fast/attempt-json-cache.ts). */
  json?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** e.g. `/v2/Services/:ServiceSid/Verifications/:Sid` */
  path: string;
  /** Synchronous for every route but the Passkeys ones, whose WebAuthn checks (WebCrypto) are async. */
  handle(context: RouteContext): ApiResult | Promise<ApiResult>;
}

interface CompiledRoute extends Route {
  /** The path's segments; `:Name` ones are parameters. */
  segments: readonly string[];
}

function compile(route: Route): CompiledRoute {
  return { ...route, segments: route.path.split('/') };
}

/**
 * The route's parameters when `segments` (a request path split on `/`) fit it, else undefined:
 * the same as matching `^/v2/Services/(?<ServiceSid>[^/]+)$`, compared segment by segment.
 */
function matchPath(route: CompiledRoute, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const expected = route.segments[i] as string;
    const given = segments[i] as string;
    if (expected.startsWith(':')) {
      if (given === '') return undefined;
      params[expected.slice(1)] = given;
    } else if (expected !== given) {
      return undefined;
    }
  }
  return params;
}

/** One versioned API: its path prefix and the absolute base its answers' URLs use. */
export interface ApiVersion {
  /** `/v2` (Verify) or `/v1` (Sync). */
  prefix: string;
  /** e.g. https://verify.twilio.com */
  baseUrl: string;
}

/**
 * Answers one API's requests (Verify's /v2, Sync's /v1): Basic auth first (as Twilio does),
 * then the route, and every failure as Twilio's legacy error body so the SDK raises a RestException.
 */
export function createApiRouter(version: ApiVersion, routes: readonly Route[]) {
  const compiled = routes.map(compile);
  const apiUrl = version.baseUrl + version.prefix;

  /**
   * Every answer carries Date (the emulator's movable clock, which Twilio's answers carry
   * too), a JSON content type unless it is a 204, and a request id; the headers are one literal.
   */
  return function route(state: EmulatorState, request: ParsedRequest): EmulatorResponse | Promise<EmulatorResponse> {
    const date = toHttpDate(state.clock.now());
    const requestId = newSid('RQ');
    // handle() only routes paths that are the prefix or start with it and `/` here.
    const resourcePath = request.pathname.slice(version.prefix.length) || '/';
    const answer = (result: ApiResult): EmulatorResponse => {
      if (result.json === undefined && result.body === undefined) {
        const headers = { date, 'twilio-request-id': requestId, ...result.headers };
        return { status: result.status, headers, body: '' };
      }
      const body = result.json ?? JSON.stringify(result.body);
      const headers = { date, 'content-type': JSON_TYPE, 'twilio-request-id': requestId };
      return { status: result.status, headers: result.headers ? { ...headers, ...result.headers } : headers, body };
    };
    const fail = (error: unknown): EmulatorResponse => {
      const apiError =
        error instanceof TwilioApiError
          ? error
          : TwilioApiError.of('internalError', { message: `Internal Server Error: ${String(error)}` });
      const headers = { date, 'content-type': JSON_TYPE, 'twilio-request-id': requestId, ...apiError.headers };
      return { status: apiError.status, headers, body: JSON.stringify(apiError.toBody()) };
    };
    try {
      if (!isAuthorized(request.authorization, state.config)) {
        throw TwilioApiError.of('authenticationFailed', {
          headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
        });
      }
      // The first route matching method and path; a path that only other methods have is a 405.
      const segments = request.pathname.split('/');
      let hit: { route: CompiledRoute; params: Record<string, string> } | undefined;
      let onPath = false;
      for (const candidate of compiled) {
        const params = matchPath(candidate, segments);
        if (!params) continue;
        onPath = true;
        if (candidate.method === request.method) {
          hit = { route: candidate, params };
          break;
        }
      }
      if (!onPath) throw notFound(resourcePath);
      if (!hit) throw TwilioApiError.of('methodNotAllowed');

      const result = hit.route.handle({
        state,
        params: hit.params,
        form: readParams(request),
        body: request.body,
        contentType: request.contentType,
        query: request.query,
        resourcePath,
        apiUrl,
        ifMatch: request.ifMatch,
      });
      // Only an async route pays for a promise.
      return result instanceof Promise ? result.then(answer, fail) : answer(result);
    } catch (error) {
      return fail(error);
    }
  };
}
