import type RequestClient from 'twilio/lib/base/RequestClient';
import type { RequestHandler } from './types';

/** The subset of twilio-node's RequestClient.RequestOptions the SDK fills in (see BaseTwilio.request). */
export interface HttpClientRequestOptions {
  method: string;
  /** Absolute, e.g. https://verify.twilio.com/v2/Services; may carry a query string. */
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string | undefined>;
  /** Query parameters (GET pages). */
  params?: object;
  /** Body parameters, not yet encoded: PascalCase keys, numbers, "true"/"false", JSON strings. */
  data?: object;
  timeout?: number;
}

export interface HttpClientResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export interface InProcessHttpClient {
  request(options: HttpClientRequestOptions): Promise<HttpClientResponse>;
  /**
   * The last answer, as twilio-node's RequestClient keeps it (undefined after a failure):
   * callers read headers such as Retry-After from it, since RestException drops them.
   */
  lastResponse?: HttpClientResponse;
}

/** Encodes like the SDK's own client (qs with arrayFormat "repeat"). */
function encodeForm(values: object): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
  }
  return form.toString();
}

/** Errors shaped like Node's/axios's, so callers' network error handling is what gets exercised. */
function networkError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (!timeoutMs) return work;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(networkError(`timeout of ${timeoutMs}ms exceeded`, 'ECONNABORTED')), timeoutMs);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

/** Path and query to hand the emulator, with the SDK's query parameters appended. */
function pathOf(options: HttpClientRequestOptions): string {
  const url = new URL(options.uri);
  if (options.params) {
    for (const [key, value] of new URLSearchParams(encodeForm(options.params))) url.searchParams.append(key, value);
  }
  return url.pathname + url.search;
}

function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A client that hands each SDK request straight to a handler, with no socket in between. */
export function createHttpClientFor(handler: RequestHandler): InProcessHttpClient {
  const client: InProcessHttpClient = {
    async request(options) {
      client.lastResponse = undefined;
      // Object.assign, not a spread: a spread copy with one more key leaves V8's fast object layout.
      const headers: Record<string, string | undefined> = Object.assign({}, options.headers);
      if (options.username && options.password)
        headers['Authorization'] = basicAuth(options.username, options.password);
      const isJson = (headers['Content-Type'] ?? headers['content-type'] ?? '').includes('application/json');
      const body = options.data ? (isJson ? JSON.stringify(options.data) : encodeForm(options.data)) : '';

      const response = await withTimeout(
        handler({ method: options.method.toUpperCase(), path: pathOf(options), headers, body }),
        options.timeout,
      );
      if (response.drop) throw networkError('socket hang up', 'ECONNRESET');
      client.lastResponse = { statusCode: response.status, body: response.body, headers: response.headers };
      return client.lastResponse;
    },
  };
  return client;
}

/**
 * The same client typed as twilio-node's RequestClient, so it can be passed as
 * `twilio(sid, token, { httpClient })` without casts at call sites. The SDK only ever
 * calls `request()` on its httpClient (BaseTwilio.request); `lastResponse` is kept like
 * RequestClient keeps it.
 */
export function createInProcessHttpClient(handler: RequestHandler): RequestClient {
  return createHttpClientFor(handler) as unknown as RequestClient;
}
