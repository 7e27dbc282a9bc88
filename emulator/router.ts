import { isAuthorized } from './auth';
import type { EmulatorState, RouteContext } from './context';
import { TwilioApiError, notFound } from './errors';
import { jsonResponse, readParams, type ParsedRequest } from './request';
import { newSid } from './sids';
import type { EmulatorResponse } from './types';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface ApiResult {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** e.g. `/v2/Services/:ServiceSid/Verifications/:Sid` */
  path: string;
  handle(context: RouteContext): ApiResult;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
}

function compile(route: Route): CompiledRoute {
  const source = route.path.replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)');
  return { ...route, pattern: new RegExp(`^${source}$`) };
}

/**
 * Answers /v2 requests: Basic auth first (as Twilio does), then the route, and every
 * failure as Twilio's legacy error body so the SDK raises a RestException.
 */
export function createV2Router(routes: readonly Route[]) {
  const compiled = routes.map(compile);

  return function route(state: EmulatorState, request: ParsedRequest): EmulatorResponse {
    const requestId = { 'twilio-request-id': newSid('RQ') };
    const resourcePath = request.pathname.replace(/^\/v2/, '') || '/';
    try {
      if (!isAuthorized(request.headers['authorization'], state.config)) {
        throw TwilioApiError.of('authenticationFailed', {
          headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
        });
      }
      const onPath = compiled
        .map((candidate) => ({ candidate, match: candidate.pattern.exec(request.pathname) }))
        .filter((entry) => entry.match !== null);
      if (onPath.length === 0) throw notFound(resourcePath);
      const hit = onPath.find((entry) => entry.candidate.method === request.method);
      if (!hit) throw TwilioApiError.of('methodNotAllowed');

      const result = hit.candidate.handle({
        state,
        params: { ...hit.match?.groups },
        form: readParams(request),
        query: request.query,
        resourcePath,
      });
      if (result.body === undefined) return { status: result.status, headers: { ...requestId, ...result.headers }, body: '' };
      return jsonResponse(result.status, result.body, { ...requestId, ...result.headers });
    } catch (error) {
      const apiError =
        error instanceof TwilioApiError
          ? error
          : TwilioApiError.of('internalError', { message: `Internal Server Error: ${String(error)}` });
      return jsonResponse(apiError.status, apiError.toBody(), { ...requestId, ...apiError.headers });
    }
  };
}
