import type { FunctionEvent } from './request';
import { header } from './request';

const ALLOWED_HEADERS = 'Content-Type, Authorization';

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
