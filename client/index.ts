/**
 * A typed client for the verification functions, for web apps, React Native and Node (18+):
 * its types are generated from /openapi.json (client/schema.d.ts, by `npm run build`, with
 * openapi-typescript); its calls are one `fetch` each, typed by those paths (a general-purpose
 * runtime such as openapi-fetch cost the page 6 KB of its 40 KB budget). Every call resolves (never throws) to the contract's shape:
 * `{ ok: true, … }` or `{ ok: false, error: { code, message, field?, retryAfter? } }`, with two
 * codes of its own for what never reached the functions: `network_error` and `bad_response`.
 */
import type { components, paths } from './schema.js';

export type { components, paths } from './schema.js';

/** Every error code the functions answer with (see the ErrorCode schema of /openapi.json). */
export type ErrorCode = components['schemas']['ErrorCode'];
/** Codes the client answers itself: the server was not reached, or answered something not JSON. */
export type ClientErrorCode = 'network_error' | 'bad_response';

export interface Failure {
  ok: false;
  /** The verification's state when Verify reported it (e.g. `pending` on `incorrect_code`). */
  status?: string;
  error: {
    code: ErrorCode | ClientErrorCode;
    /** Safe to show a person. */
    message: string;
    /** The input concerned, to show the message next to it. */
    field?: string;
    twilioCode?: number;
    /** Seconds to wait before trying again (also taken from a `Retry-After` header). */
    retryAfter?: number;
  };
}

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type PostBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
type PostOk<P extends keyof paths> = paths[P] extends { post: { responses: { 200: infer R } } } ? Json<R> : never;
/** Every route of the contract that takes a POST. */
export type PostPath = { [P in keyof paths]: paths[P] extends { post: object } ? P : never }[keyof paths];

export type StartVerifyParams = PostBody<'/start-verify'>;
export type CheckVerifyParams = PostBody<'/check-verify'>;
export type ResendVerifyParams = PostBody<'/resend-verify'>;
export type CancelVerifyParams = PostBody<'/cancel-verify'>;
export type VerificationStatusParams = PostBody<'/verification-status'>;

/** start and resend: the handle to keep, the masked destination, `retryAfter` before a resend. */
export type Sent = PostOk<'/start-verify'>;
/** approved, with `token` (the proof for your backend) when the deployment signs tokens. */
export type Approved = PostOk<'/check-verify'>;
export type Canceled = PostOk<'/cancel-verify'>;
export type Status = PostOk<'/verification-status'>;
export type JwkSet = Json<paths['/jwks']['get']['responses'][200]>;

export interface VerifyClientOptions {
  /** Where the functions are, e.g. `https://verify-1234-dev.twil.io`. Default: this page's origin. */
  baseUrl?: string;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** A fetch of your own (tests, instrumentation). Default: the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

const failure = (code: ClientErrorCode, message: string): Failure => ({ ok: false, error: { code, message } });

export function createVerifyClient(options: VerifyClientOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 15000;
  const baseUrl = options.baseUrl ?? '';
  const send = options.fetch ?? ((request: Request) => fetch(request));

  /** One request to a path of the contract; the body, when there is one, as JSON. */
  async function call(method: 'GET' | 'POST', path: keyof paths, signal: AbortSignal, body?: unknown, token?: string) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    // A relative path needs a base for Request; fetch resolves it against the page itself.
    const url = baseUrl || typeof location === 'undefined' ? `${baseUrl}${path}` : new URL(path, location.href).href;
    const response = await send(
      new Request(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      }),
    );
    const data: unknown = await response.json().catch(() => undefined);
    return { data, response };
  }

  /** One call, always resolved to the contract's shape, even offline. */
  async function settle<T>(
    request: (signal: AbortSignal) => Promise<{ data: unknown; response: Response }>,
  ): Promise<T | Failure> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const { data, response } = await request(abort.signal);
      const body = data as { ok?: unknown } | undefined;
      if (!body || typeof body !== 'object' || typeof body.ok !== 'boolean')
        return failure('bad_response', 'Something went wrong on our side. Please try again.');
      if (body.ok) return body as T;
      const answer = body as Failure;
      if (answer.error && answer.error.retryAfter == null) {
        const header = Number(response.headers.get('Retry-After'));
        if (header > 0) answer.error.retryAfter = header;
      }
      return answer;
    } catch {
      return failure('network_error', 'We could not reach the server. Check your connection and try again.');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Any POST route of the contract, typed from it: `post('/start-verify', { to })`. `token` is sent
   * as `Authorization: Bearer` (a proof token for the authenticator routes, the admin token for admin ones).
   */
  function post<P extends PostPath>(
    path: P,
    body: PostBody<P>,
    options: { token?: string } = {},
  ): Promise<PostOk<P> | Failure> {
    return settle<PostOk<P>>((signal) => call('POST', path, signal, body, options.token));
  }

  return {
    post,
    /** Sends a code; answers `verification`, the handle to keep (the newest one each resend answers). */
    startVerify: (body: StartVerifyParams) => post('/start-verify', body),
    /** Checks a code against the handle. */
    checkVerify: (body: CheckVerifyParams) => post('/check-verify', body),
    /** Sends again after `retryAfter`; `channel` for "call me instead". Keep the new handle. */
    resendVerify: (body: ResendVerifyParams) => post('/resend-verify', body),
    /** "Change number": the code stops working. Idempotent. */
    cancelVerify: (body: CancelVerifyParams) => post('/cancel-verify', body),
    /** Status, this caller's sends and the resend schedule. */
    verificationStatus: (body: VerificationStatusParams) => post('/verification-status', body),
    /** The public keys that verify proof tokens (for a backend; a JWT library fetches this itself). */
    async jwks(): Promise<JwkSet | Failure> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        const { data } = await call('GET', '/jwks', abort.signal);
        return data && typeof data === 'object' && Array.isArray((data as JwkSet).keys)
          ? (data as JwkSet)
          : failure('bad_response', 'The key set could not be read.');
      } catch {
        return failure('network_error', 'We could not reach the server.');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type VerifyClient = ReturnType<typeof createVerifyClient>;
