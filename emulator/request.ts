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
  /** Sync's conditional mutations: the revision a Map Item must still have. */
  ifMatch: string | undefined;
  body: string;
}

export function parseRequest(request: EmulatorRequest): ParsedRequest {
  const url = new URL(request.path, 'http://emulator.invalid');
  // Names in any case; when a name is given in two spellings the later one wins.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return {
    method: request.method.toUpperCase(),
    pathname: url.pathname,
    query: url.searchParams,
    authorization: headers['authorization'],
    contentType: headers['content-type'],
    origin: headers['origin'],
    host: headers['host'],
    ifMatch: headers['if-match'],
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
    return Object.fromEntries(new URLSearchParams(request.body));
  }
  const parsed = parseJsonObject(request.body);
  if (!parsed) throw invalidParameter('body');
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== undefined && value !== null) params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return params;
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
