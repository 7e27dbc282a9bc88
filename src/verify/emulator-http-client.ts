/** The subset of the twilio SDK's RequestClient options a custom httpClient receives. */
export interface SdkRequestOptions {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

interface SdkResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

export interface HttpClientWithHeaders {
  request(opts: SdkRequestOptions): Promise<SdkResponse>;
  /** Headers of the last answer, so a 429's Retry-After survives the SDK's RestException. */
  lastResponse?: SdkResponse;
}

function formEncode(values: Record<string, unknown> | undefined): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
  }
  return form;
}

/**
 * The SDK's If-Match (Sync Map Item updates and deletes), whatever its case; the other SDK
 * headers are fixed here, so this is the only one forwarded.
 */
function ifMatchOf(headers: Record<string, string> | undefined): Record<string, string> {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'if-match' && value !== undefined) return { 'If-Match': value };
  }
  return {};
}

/** Thrown for a request that outlives the timeout, with the code axios uses for the same. */
function timeoutError(ms: number): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`timeout of ${ms}ms exceeded`);
  error.code = 'ECONNABORTED';
  return error;
}

// node:http is loaded on first use, once: only local emulator mode needs it, and loading it
// up front is paid by every cold start (bench/HISTORY.md).
let http: Promise<typeof import('node:http')> | undefined;
const loadHttp = () => (http ??= import('node:http'));

/**
 * An httpClient for the twilio SDK that sends Verify's (and Sync's) requests to the local
 * emulator (`host` is `127.0.0.1:3001`) instead of verify.twilio.com / sync.twilio.com, over
 * plain HTTP on loopback. Every response header (ETag, Retry-After) reaches the SDK.
 */
export function createEmulatorHttpClient(host: string, timeoutMs: number): HttpClientWithHeaders {
  const client: HttpClientWithHeaders = {
    request(opts) {
      const target = new URL(opts.uri);
      const query = formEncode(opts.params).toString();
      const path = target.pathname + (query ? `?${query}` : target.search);
      const body = opts.data ? formEncode(opts.data).toString() : '';
      const auth = Buffer.from(`${opts.username ?? ''}:${opts.password ?? ''}`).toString('base64');
      return loadHttp().then(
        ({ request: httpRequest }) =>
          new Promise<SdkResponse>((resolve, reject) => {
            const req = httpRequest(
              {
                host: host.replace(/:\d+$/, ''),
                port: Number(host.split(':').pop()),
                method: opts.method.toUpperCase(),
                path,
                headers: {
                  Authorization: `Basic ${auth}`,
                  Accept: 'application/json',
                  'Content-Type': 'application/x-www-form-urlencoded',
                  'Content-Length': Buffer.byteLength(body),
                  ...ifMatchOf(opts.headers),
                },
              },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (chunk: Buffer) => chunks.push(chunk));
                res.on('error', reject);
                res.on('end', () => {
                  const headers: Record<string, string> = {};
                  for (const [k, v] of Object.entries(res.headers)) {
                    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
                  }
                  const response = {
                    statusCode: res.statusCode ?? 502,
                    body: Buffer.concat(chunks).toString('utf8'),
                    headers,
                  };
                  client.lastResponse = response;
                  resolve(response);
                });
              },
            );
            req.setTimeout(timeoutMs, () => req.destroy(timeoutError(timeoutMs)));
            req.on('error', reject);
            req.end(body);
          }),
      );
    },
  };
  return client;
}
