import { invalidParameter } from './errors';
import type { EmulatorRequest, EmulatorResponse } from './types';

export interface ParsedRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** The only request headers the emulator reads (names matched in any case). */
  authorization: string | undefined;
  contentType: string | undefined;
  /** Read by the developer API's guard against cross-site requests. */
  origin: string | undefined;
  host: string | undefined;
  body: string;
}

/** A path `new URL()` would leave as it is: one leading slash, no query, nothing to normalize. */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_\-/]*$/;

export function parseRequest(request: EmulatorRequest): ParsedRequest {
  // Skips building a URL for the common plain path; anything else goes through URL as before.
  const url = PLAIN_PATH.test(request.path) ? undefined : new URL(request.path, 'http://emulator.invalid');
  // Picks the two headers out instead of copying every header under a lower-cased name; as
  // before, when a name is given in two spellings the later one wins.
  let authorization: string | undefined;
  let contentType: string | undefined;
  let origin: string | undefined;
  let host: string | undefined;
  for (const name of Object.keys(request.headers)) {
    const value = request.headers[name];
    if (value === undefined) continue;
    if (name.length === 13 && name.toLowerCase() === 'authorization') authorization = value;
    else if (name.length === 12 && name.toLowerCase() === 'content-type') contentType = value;
    else if (name.length === 6 && name.toLowerCase() === 'origin') origin = value;
    else if (name.length === 4 && name.toLowerCase() === 'host') host = value;
  }
  return {
    method: request.method.toUpperCase(),
    pathname: url ? url.pathname : request.path,
    query: url ? url.searchParams : new URLSearchParams(),
    authorization,
    contentType,
    origin,
    host,
    body: request.body,
  };
}

/**
 * Request parameters: the query for GET, else the body. The SDK sends form-encoded PascalCase;
 * JSON bodies are accepted too, with non-string values turned into the strings a form would carry.
 */
export function readParams(request: ParsedRequest): Record<string, string> {
  if (request.method === 'GET' || request.method === 'DELETE') return Object.fromEntries(request.query);
  if (!(request.contentType ?? '').includes('application/json')) {
    return decodeForm(request.body);
  }
  const parsed = parseJsonObject(request.body);
  if (!parsed) throw invalidParameter('body');
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined && value !== null) params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return params;
}

/** Printable ASCII not starting with `?` (which URLSearchParams would strip): what the SDK sends. */
const PLAIN_FORM = /^(?!\?)[\x20-\x7e]*$/;

/**
 * A form body as `Object.fromEntries(new URLSearchParams(body))` reads it, without building
 * the URLSearchParams; anything unusual (bad %-escapes, non-ASCII, `__proto__`) goes through it.
 */
function decodeForm(body: string): Record<string, string> {
  const params: Record<string, string> = {};
  if (!PLAIN_FORM.test(body)) return Object.fromEntries(new URLSearchParams(body));
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1));
    if (name === undefined || value === undefined || name === '__proto__') {
      return Object.fromEntries(new URLSearchParams(body));
    }
    params[name] = value;
  }
  return params;
}

/** `+` is a space, then %-escapes as UTF-8; undefined where decodeURIComponent refuses. */
function decodeFormComponent(text: string): string | undefined {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

/** A JSON object, or undefined for anything else (bad JSON, arrays, scalars). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
    body: JSON.stringify(value),
  };
}
