import { timingSafeEqual } from 'node:crypto';
import type { EmulatorConfig } from './context';

/** The credentials' bytes and canonical header (`Basic <base64>`), for the last credentials seen. */
let cachedAccountSid = '';
let cachedAuthToken = '';
let cachedExpected = Buffer.alloc(0);
let cachedHeader = Buffer.alloc(0);

/** HTTP Basic with the account SID and auth token, as Twilio requires on every /v2 call. */
export function isAuthorized(authorization: string | undefined, config: EmulatorConfig): boolean {
  const { accountSid, authToken } = config;
  if (accountSid !== cachedAccountSid || authToken !== cachedAuthToken || cachedExpected.length === 0) {
    cachedExpected = Buffer.from(`${accountSid}:${authToken}`);
    cachedHeader = Buffer.from(`Basic ${cachedExpected.toString('base64')}`);
    cachedAccountSid = accountSid;
    cachedAuthToken = authToken;
  }
  // The header every SDK sends, compared as is; other spellings (any case, spaces, base64
  // variants) are decoded below, as before.
  const header = Buffer.from(authorization ?? '');
  if (header.length === cachedHeader.length && timingSafeEqual(header, cachedHeader)) return true;
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64');
  return given.length === cachedExpected.length && timingSafeEqual(given, cachedExpected);
}
