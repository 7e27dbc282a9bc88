import type { FunctionEvent } from './request';
import { header, isLoopbackHost } from './request';

const ALLOWED_HEADERS = 'Content-Type, Authorization';

/** `scheme://host[:port]` as browsers send it, or undefined for junk (`null`, `e:x`, …). */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.host ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request may act. A form POST needs no preflight, so any website could make its
 * visitors' browsers send codes; browsers always say where such a request comes from. No
 * Origin (apps, servers, curl), an allowed origin or the deployment's own pass; anything
 * else, including `null`, does not. The deployment's own origin is https on its domain (or the
 * Host it was called by), http on loopback, where the local stack serves it: same host under the
 * other scheme is another origin.
 */
export function isOriginAllowed(event: FunctionEvent, allowedOrigins: readonly string[], domainName?: string): boolean {
  const origin = header(event, 'origin');
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  const called = originOf(origin);
  if (called === undefined) return false;
  const own = [domainName, header(event, 'host')].filter((host): host is string => Boolean(host));
  return own.some((host) => called === originOf(`${isLoopbackHost(host) ? 'http' : 'https'}://${host}`));
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
