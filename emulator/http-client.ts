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
  try {
    const pairs: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        pairs.push(`${encodeFormComponent(key)}=${encodeFormComponent(String(item))}`);
      }
    }
    return pairs.join('&');
  } catch {
    // Lone surrogates: encodeURIComponent throws where URLSearchParams writes U+FFFD.
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
    }
    return form.toString();
  }
}

/**
 * One name or value as URLSearchParams serializes it, from encodeURIComponent (far cheaper per
 * request): the same but for `!'()~`, which the form serializer escapes, and space as `+`.
 */
const FORM_ONLY = /[!'()~]|%20/g;
const FORM_ONLY_ESCAPES: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '~': '%7E', '%20': '+' };
/** Text both serializers leave as it is (most names and values: `To`, `sms`, codes). */
const UNRESERVED = /^[A-Za-z0-9*\-._]*$/;
/** Characters after which encodeURIComponent's output still needs FORM_ONLY's fix-ups. */
const NEEDS_FIXUP = /[!'()~ ]/;
function encodeFormComponent(text: string): string {
  if (UNRESERVED.test(text)) return text;
  const encoded = encodeURIComponent(text);
  return NEEDS_FIXUP.test(text) ? encoded.replace(FORM_ONLY, (match) => FORM_ONLY_ESCAPES[match] as string) : encoded;
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

/**
 * An absolute URI whose path needs no normalizing (letters, digits, `_`, `-`, `/`) and no query
 * or fragment: `new URL()` would give that path as it is. Its origin still decides whether
 * `new URL()` throws, so the path is taken as-is only after that origin has parsed once.
 */
const PLAIN_URI = /^(https?:\/\/[^/?#\\]*)(\/[A-Za-z0-9_\-/]*)$/;
let parsedOrigin: string | undefined;

/** Path and query to hand the emulator, with the SDK's query parameters appended. */
function pathOf(options: HttpClientRequestOptions): string {
  const hasParams = options.params !== undefined && options.params !== null && Object.keys(options.params).length > 0;
  const plain = hasParams ? null : PLAIN_URI.exec(options.uri);
  if (plain && plain[1] === parsedOrigin) return plain[2] as string;
  const url = new URL(options.uri);
  if (plain) parsedOrigin = plain[1];
  if (options.params) {
    for (const [key, value] of new URLSearchParams(encodeForm(options.params))) url.searchParams.append(key, value);
  }
  return url.pathname + url.search;
}

/** The Basic header for the last credentials seen (the SDK sends the same ones every time). */
let lastUsername = '';
let lastPassword = '';
let lastBasicAuth = '';
function basicAuth(username: string, password: string): string {
  if (username !== lastUsername || password !== lastPassword) {
    lastBasicAuth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    lastUsername = username;
    lastPassword = password;
  }
  return lastBasicAuth;
}

/** A client that hands each SDK request straight to a handler, with no socket in between. */
export function createHttpClientFor(handler: RequestHandler): InProcessHttpClient {
  const client: InProcessHttpClient = {
    async request(options) {
      client.lastResponse = undefined;
      // Object.assign, not a spread: adding a key to a spread copy leaves V8's fast object
      // layout, which costs more than the rest of this function (bench/HISTORY.md).
      const headers: Record<string, string | undefined> = Object.assign({}, options.headers);
      if (options.username && options.password) headers['Authorization'] = basicAuth(options.username, options.password);
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
