import type { FunctionEvent } from './request';
import { header } from './request';

const ALLOWED_HEADERS = 'Content-Type, Authorization';

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request may act. A form POST needs no preflight, so any website could make its
 * visitors' browsers send codes; browsers always say where such a request comes from. No
 * Origin (apps, servers, curl), an allowed origin or the deployment's own pass; anything
 * else, including `null`, does not.
 */
export function isOriginAllowed(event: FunctionEvent, allowedOrigins: readonly string[], domainName?: string): boolean {
  const origin = header(event, 'origin');
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  // Only a real web origin can be ours: `e:x` or junk parses with an empty host, never a match.
  const host = hostOf(origin);
  return Boolean(host) && (host === header(event, 'host') || host === domainName);
}

/**
 * CORS for exactly the configured origins. twilio-run answers preflights itself but the
 * hosted runtime does not, so the function sets the headers for both to behave alike.
 * A disallowed origin gets no CORS headers at all; credentials are never allowed.
 */
export function corsHeaders(event: FunctionEvent, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = header(event, 'origin');
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
