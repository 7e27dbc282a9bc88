import { AppError } from '../domain/app-error';

/** What the runtime passes as `event`: query + body params, plus `request` metadata. */
export interface FunctionEvent {
  request?: { headers?: Record<string, string | string[] | undefined>; cookies?: Record<string, string> };
  [param: string]: unknown;
}

export type InferredMethod = 'GET' | 'POST' | 'OPTIONS';

export function header(event: FunctionEvent, name: string): string | undefined {
  const value = event.request?.headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The credential of `Authorization: Bearer <credential>` (RFC 6750), or undefined without one. */
export function bearerToken(event: FunctionEvent): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '')?.[1];
}

/**
 * The runtime does not tell a function its HTTP method, and only GET, POST and OPTIONS
 * reach it. A CORS preflight carries Access-Control-Request-Method; a POST we can serve
 * carries a body, hence a Content-Type; everything else is treated as a GET.
 */
export function inferMethod(event: FunctionEvent): InferredMethod {
  if (header(event, 'access-control-request-method')) return 'OPTIONS';
  if (header(event, 'content-type')) return 'POST';
  const length = Number(header(event, 'content-length'));
  return Number.isFinite(length) && length > 0 ? 'POST' : 'GET';
}

/** Our largest legitimate request is a few hundred bytes; anything far beyond is abuse. */
const MAX_PARAMS = 32;
export const MAX_PARAMS_BYTES = 8192;

/**
 * The caller's parameters without the runtime's `request` metadata: own properties only,
 * copied into an object with no prototype, so a JSON body's own `__proto__` key stays a plain
 * key (assigning it to an ordinary object would set the prototype instead, hiding its bulk
 * from the size check and lending its keys as parameters). Every key is counted; the route's
 * strict schema then refuses `__proto__`, `constructor` or `prototype` as unknown parameters
 * (after the admin check, on admin routes). Oversized or key-stuffed bodies are refused here,
 * before any schema walks them.
 */
export function eventParams(event: FunctionEvent): Record<string, unknown> {
  const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let count = 0;
  for (const key of Object.keys(event)) {
    if (key === 'request') continue;
    params[key] = event[key];
    count++;
  }
  let size = Infinity;
  try {
    size = JSON.stringify(params).length;
  } catch {
    // Cyclic or otherwise unserialisable: too strange to be ours.
  }
  if (count > MAX_PARAMS || size > MAX_PARAMS_BYTES) {
    throw new AppError('invalid_request', {
      field: 'body',
      message: `The request is too large (at most ${MAX_PARAMS} parameters, ${MAX_PARAMS_BYTES} bytes).`,
    });
  }
  return params;
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `event.request` could have been made by the runtime: `{ headers, cookies }`, both
 * objects, and nothing else; header values strings (or lists of strings for repeated
 * headers) under lower-case names. The runtime builds `event` as `{ request, ...query, ...body }`,
 * so a caller's parameter named `request` replaces it; this refuses the clumsy forgeries. A careful one that mimics this shape cannot be told apart by a
 * function (see SECURITY.md, "What a function can know about its request").
 */
export function hasRuntimeShapedRequest(event: FunctionEvent): boolean {
  const request: unknown = event.request;
  if (request === undefined) return true;
  if (!isPlainRecord(request)) return false;
  for (const key of Object.keys(request)) if (key !== 'headers' && key !== 'cookies') return false;
  // The runtime always builds both (`cookies` is `{}` without a Cookie header).
  const { headers, cookies } = request;
  if (!isPlainRecord(headers) || !isPlainRecord(cookies)) return false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (name !== name.toLowerCase()) return false;
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return false;
  }
  for (const name of Object.keys(cookies)) if (typeof cookies[name] !== 'string') return false;
  return true;
}

/** A loopback host, optionally with a port (`localhost`, `127.x.x.x`, `[::1]`), in any letter case: where the local stack runs. */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i.test(host);
}
