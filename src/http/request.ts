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
export const MAX_PARAMS = 32;
export const MAX_PARAMS_BYTES = 8192;

/**
 * The caller's parameters without the runtime's `request` metadata. Oversized or
 * key-stuffed bodies are refused here, before any schema walks them.
 */
export function eventParams(event: FunctionEvent): Record<string, unknown> {
  const params: Record<string, unknown> = {};
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
    throw new AppError('invalid_request', { message: `The request is too large (at most ${MAX_PARAMS} parameters, ${MAX_PARAMS_BYTES} bytes).` });
  }
  return params;
}
