// The local stack's front door: a small loopback proxy in front of twilio-run. It answers, in
// the project's JSON error shape, everything twilio-run would otherwise turn into an HTML
// page with a stack trace (its body parser and express's default error handler) or into a
// stuck forked runner (a deeply nested body), and what @twilio/runtime-handler would let
// through that docs/http-api.md refuses (a `request` parameter replacing the runtime's header
// data, methods other than POST on a function). Why a proxy rather than hooks into
// twilio-run's express app: see docs/local-stack.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import { gunzip, inflate } from 'node:zlib';
import { BODY_PROBLEMS, looksLikeJson } from '../src/http/body-checks';

/**
 * twilio-run adds `Pragma: no-cache` and `Expires: 0` to every function answer; the hosted
 * runtime does not, and beside a function's own public Cache-Control (`/jwks`) they contradict it.
 */
function hostedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  if (!/\bpublic\b/i.test(String(headers['cache-control'] ?? ''))) return headers;
  const { pragma: _pragma, expires: _expires, ...rest } = headers;
  return rest;
}

/** twilio-run's and runtime-handler's own limit (`DEFAULT_BODY_SIZE_LAMBDA = '6mb'`). */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** No parameter of ours nests at all; 32 levels is far beyond any honest body. */
const MAX_JSON_DEPTH = 32;

const FUNCTION_METHODS = ['POST', 'OPTIONS'] as const;
const ASSET_METHODS = ['GET', 'HEAD'] as const;

/** What a GET function (e.g. /jwks) takes: the runtime serves HEAD as GET, and answers preflights. */
export const GET_ROUTE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Methods of routes that differ from what their kind gives them (functions: POST and OPTIONS for
 * CORS preflights; assets: GET and HEAD): the functions the built contract (dist/assets/openapi.json,
 * from each route's declaration) says answer GET.
 */
export function getRoutes(distDir: string): Record<string, readonly string[]> {
  const document = JSON.parse(readFileSync(join(distDir, 'assets', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.fromEntries(
    Object.entries(document.paths)
      .filter(([, item]) => 'get' in item)
      .map(([path]) => [path, GET_ROUTE_METHODS]),
  );
}

type RouteMethods = ReadonlyMap<string, readonly string[]>;

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every route twilio-run serves from dist/ (one per function file, one per asset) with its methods. */
export function routeMethods(
  distDir: string,
  extra: Readonly<Record<string, readonly string[]>> = getRoutes(distDir),
): Map<string, readonly string[]> {
  const routes = new Map<string, readonly string[]>();
  const functionsDir = join(distDir, 'functions');
  for (const file of filesUnder(functionsDir)) {
    if (!file.endsWith('.js') || file.endsWith('.private.js')) continue;
    routes.set(
      `/${relative(functionsDir, file)
        .split(sep)
        .join('/')
        .replace(/\.(protected\.)?js$/, '')}`,
      FUNCTION_METHODS,
    );
  }
  const assetsDir = join(distDir, 'assets');
  for (const file of filesUnder(assetsDir)) {
    if (file.includes('.private.')) continue;
    routes.set(`/${relative(assetsDir, file).split(sep).join('/').replace('.protected.', '.')}`, ASSET_METHODS);
  }
  if (routes.has('/index.html')) routes.set('/', ASSET_METHODS);
  // The contract's word replaces what the file kind gives: /jwks is GET (and HEAD, OPTIONS), not POST.
  for (const [path, methods] of Object.entries(extra)) routes.set(path, methods);
  return routes;
}

interface FrontError {
  status: number;
  code: string;
  message: string;
  field?: string;
  headers?: Record<string, string>;
}

function sendError(response: ServerResponse, error: FrontError): void {
  if (response.headersSent || response.destroyed) return;
  const body = JSON.stringify({
    ok: false,
    error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  });
  response.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...error.headers,
  });
  response.end(body);
}

const invalidBody = (message: string): FrontError => ({ status: 400, code: 'invalid_request', message, field: 'body' });
const runtimeParameter: FrontError = {
  status: 400,
  code: 'invalid_request',
  message: 'A parameter named `request` is not accepted: the runtime keeps its own request data under that name.',
  field: 'request',
};

/**
 * `request`, `request[headers]…`: runtime-handler builds the event as
 * `{request: {headers, cookies}, ...query, ...body}`, and express's query parser turns
 * `request[headers][x]` into an object, so any of these replaces the runtime's header data.
 */
const isRuntimeKey = (key: string): boolean =>
  key === 'request' || key.startsWith('request[') || key.startsWith('request.');

/** Keys no caller parameter may have: they reach (or replace) object internals. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The top-level name Express's query parser (`qs`, as runtime-handler's Express configures it)
 * gives a query key: `a[b]` → `a`, and a key that starts with a bracket, `[a][b]`, → `a`.
 */
function topLevelQueryName(key: string): string {
  if (key.startsWith('[')) {
    const close = key.indexOf(']');
    return close > 0 ? key.slice(1, close) : key;
  }
  const open = key.indexOf('[');
  return open > 0 ? key.slice(0, open) : key;
}

/** body-parser's `parameterLimit` (1000): above it twilio-run answers an HTML 413 with a stack. */
const MAX_FORM_FIELDS = 1000;

function queryProblem(search: URLSearchParams): FrontError | undefined {
  for (const key of search.keys()) {
    const name = topLevelQueryName(key);
    if (isRuntimeKey(key) || name === 'request') return runtimeParameter;
    if (PROTOTYPE_KEYS.has(name)) return prototypeParameter(name);
  }
  return undefined;
}

const prototypeParameter = (name: string): FrontError => ({
  status: 400,
  code: 'invalid_request',
  message: `\`${name}\` is not accepted as a parameter name.`,
  field: name,
});

/** Deepest nesting of objects/arrays in JSON text, counted without parsing (strings skipped). */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return deepest;
}

function mediaType(header: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...params] = (header ?? '').split(';');
  const charset = params
    .map((param) => param.trim().toLowerCase())
    .find((param) => param.startsWith('charset='))
    ?.slice(8)
    .replace(/^"|"$/g, '');
  return { type: type.trim().toLowerCase(), charset };
}

const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** Bytes as UTF-8 text, or undefined when they are not UTF-8 (a lenient decoder would put U+FFFD in their place). */
function utf8Text(body: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return undefined;
  }
}

/** What would make the function see something other than its caller's parameters; undefined if none. */
function checkBody(body: Buffer, contentType: string | undefined): FrontError | undefined {
  const { type, charset } = mediaType(contentType);
  const isJson = type === 'application/json';
  const isForm = type === 'application/x-www-form-urlencoded';
  // The runtime ignores other bodies: the function would see no parameters and say `to` is missing.
  if (!isJson && !isForm) return body.length > 0 ? invalidBody(BODY_PROBLEMS.unread(type || undefined)) : undefined;
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) return invalidBody('The body must be UTF-8.');
  const text = utf8Text(body);
  if (text === undefined) return invalidBody(BODY_PROBLEMS.notUtf8);
  if (isForm) {
    let fields = 0;
    for (const [key, value] of new URLSearchParams(text)) {
      if (isRuntimeKey(key)) return runtimeParameter;
      if (looksLikeJson(key)) return invalidBody(BODY_PROBLEMS.jsonAsForm);
      // Percent-escapes that are not UTF-8 (`to=%FF`) decode to U+FFFD, here and in the runtime.
      if (key.includes('\uFFFD') || value.includes('\uFFFD')) return invalidBody(BODY_PROBLEMS.notUtf8);
      if (++fields > MAX_FORM_FIELDS) return invalidBody(`The body has more than ${MAX_FORM_FIELDS} fields.`);
    }
    return undefined;
  }
  if (text.trim() === '') return undefined;
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return invalidBody(`The JSON body is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalidBody('The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalidBody('The JSON body must be an object.');
  if (Object.hasOwn(value, 'request')) return runtimeParameter;
  return undefined;
}

function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return Promise.resolve(body);
  const inflater = name === 'gzip' || name === 'x-gzip' ? gunzip : name === 'deflate' ? inflate : undefined;
  if (!inflater)
    return Promise.reject(invalidBody(`Content-Encoding ${name} is not supported (gzip, deflate or none).`));
  return new Promise((resolve, reject) => {
    inflater(body, { maxOutputLength: MAX_BODY_BYTES }, (error, out) => {
      if (!error) resolve(out);
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(tooLarge);
      else reject(invalidBody(`The body is not valid ${name}.`));
    });
  });
}

const tooLarge: FrontError = {
  status: 413,
  code: 'payload_too_large',
  message: `The body is larger than ${MAX_BODY_BYTES} bytes.`,
  field: 'body',
  // The rest of the upload is not read: end the connection with the answer.
  headers: { connection: 'close' },
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      request.resume();
      reject(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => reject(invalidBody('The body could not be read.')));
  });
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A Host header naming this server on loopback: `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`. */
function isOwnHost(host: string | undefined, port: number): boolean {
  const match = /^(.+):(\d+)$/.exec((host ?? '').trim().toLowerCase());
  return match !== null && LOOPBACK_NAMES.has(match[1] as string) && Number(match[2]) === port;
}

export interface LocalFront {
  port: number;
  close(): Promise<void>;
}

export interface LocalFrontOptions {
  /** The twilio-run behind the front. */
  targetPort: number;
  /** 0 picks a free port. */
  port: number;
  routes: RouteMethods;
}

/** Forwards one checked request to twilio-run and streams its answer back. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  targetPort: number,
  path: string,
  body: Buffer,
): void {
  const headers = { ...request.headers };
  // isOwnHost accepted it in any letter case; the function reads it (a proof token's `iss`) as written.
  if (headers.host !== undefined) headers.host = headers.host.trim().toLowerCase();
  delete headers['content-encoding'];
  delete headers['transfer-encoding'];
  if (body.length > 0 || request.headers['content-length'] !== undefined)
    headers['content-length'] = String(body.length);
  const upstream = httpRequest(
    { host: '127.0.0.1', port: targetPort, method: request.method, path, headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, hostedHeaders(answer.headers));
      answer.pipe(response);
    },
  );
  upstream.on('error', () =>
    sendError(response, {
      status: 502,
      code: 'internal_error',
      message: 'The local functions runtime did not answer.',
    }),
  );
  upstream.end(body);
}

export function startLocalFront(options: LocalFrontOptions): Promise<LocalFront> {
  let listeningPort = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    // Only the loopback names of this port: another Host is a DNS-rebinding page (or a forged
    // origin for the proof token's `iss`).
    if (!isOwnHost(request.headers.host, listeningPort)) {
      request.resume();
      sendError(response, {
        status: 421,
        code: 'invalid_request',
        message: 'This local server answers only as 127.0.0.1, localhost or [::1] on its own port.',
        field: 'host',
      });
      return;
    }
    // Prefixed, so that `//x` stays a path (new URL would read it as a host).
    const url = new URL(`http://front.invalid${(request.url ?? '/').startsWith('/') ? request.url : '/'}`);
    const method = (request.method ?? 'GET').toUpperCase();
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      request.resume();
      sendError(response, {
        status: 400,
        code: 'invalid_request',
        message: 'The path is not valid percent-encoding.',
        field: 'path',
      });
      return;
    }
    const allowed = options.routes.get(pathname);
    if (!allowed) {
      request.resume();
      sendError(response, { status: 404, code: 'not_found', message: 'There is no such route.', field: 'path' });
      return;
    }
    if (!allowed.includes(method)) {
      request.resume();
      const only = allowed.filter((m) => m !== 'OPTIONS' && m !== 'HEAD');
      sendError(response, {
        status: 405,
        code: 'method_not_allowed',
        message: `Use ${only.join(' or ')}.`,
        headers: { allow: allowed.join(', ') },
      });
      return;
    }
    const inQuery = queryProblem(url.searchParams);
    if (inQuery) {
      request.resume();
      sendError(response, inQuery);
      return;
    }
    const body = await decode(await readBody(request), request.headers['content-encoding']);
    const problem = checkBody(body, request.headers['content-type']);
    if (problem) {
      sendError(response, problem);
      return;
    }
    // The hosted runtime serves the page at `/`; twilio-run only at /index.html.
    const path =
      pathname === '/' && options.routes.has('/index.html') ? `/index.html${url.search}` : (request.url ?? '/');
    forward(request, response, options.targetPort, path, body);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const known = typeof error === 'object' && error !== null && 'code' in error && 'status' in error;
      sendError(
        response,
        known
          ? (error as FrontError)
          : { status: 500, code: 'internal_error', message: 'Something went wrong on our side.' },
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      listeningPort = (server.address() as AddressInfo).port;
      resolve({
        port: listeningPort,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
