import { timingSafeEqual } from 'node:crypto';
import type { EmulatorConfig } from './context';

/** HTTP Basic with the account SID and auth token, as Twilio requires on every /v2 call. */
export function isAuthorized(authorization: string | undefined, config: EmulatorConfig): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64');
  const expected = Buffer.from(`${config.accountSid}:${config.authToken}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
