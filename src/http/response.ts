import type { AppError } from '../domain/app-error';

/** The part of Twilio.Response we use; twilio-run, the hosted runtime and tests provide it. */
export interface ResponseLike {
  setStatusCode(code: number): unknown;
  setBody(body: unknown): unknown;
  appendHeader(key: string, value: string): unknown;
}

export type ResponseFactory = () => ResponseLike;

/** Uses the runtime's global Twilio.Response, available in every function invocation. */
export const runtimeResponse: ResponseFactory = () => {
  const twilio = (globalThis as { Twilio?: { Response: new () => ResponseLike } }).Twilio;
  if (!twilio) throw new Error('Twilio.Response is not available outside the Functions runtime');
  return new twilio.Response();
};

export interface ErrorBody {
  ok: false;
  error: { code: string; message: string; field?: string; twilioCode?: number; retryAfter?: number };
  [extra: string]: unknown;
}

export function errorBody(error: AppError): ErrorBody {
  return {
    ok: false,
    ...error.extra,
    error: {
      code: error.code,
      message: error.message,
      ...(error.field !== undefined ? { field: error.field } : {}),
      ...(error.twilioCode !== undefined ? { twilioCode: error.twilioCode } : {}),
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    },
  };
}

export function jsonResponse(
  makeResponse: ResponseFactory,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ResponseLike {
  const response = makeResponse();
  response.setStatusCode(status);
  response.appendHeader('Content-Type', 'application/json');
  // Everything is no-store but what a route says may be cached (the public keys of /jwks).
  response.appendHeader('Cache-Control', headers['Cache-Control'] ?? 'no-store');
  for (const [key, value] of Object.entries(headers)) if (key !== 'Cache-Control') response.appendHeader(key, value);
  response.setBody(body);
  return response;
}

/** Headers an error needs beyond the body: Retry-After for 429s, WWW-Authenticate for 401s. */
export function errorHeaders(error: AppError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfter !== undefined) headers['Retry-After'] = String(error.retryAfter);
  if (error.code === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
  if (error.code === 'invalid_token') headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
  // RFC 6750 §3.1: a valid token that is not enough for this request.
  if (error.code === 'sent_code_required') headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
  if (error.code === 'method_not_allowed') headers.Allow = 'POST, OPTIONS';
  return headers;
}
