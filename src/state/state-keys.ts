import { createHmac } from 'node:crypto';
import type { Config } from '../config';
import { deriveKey } from '../security/derived-keys';

/** What a stored record is about; each kind has its own key space. */
export type StateKind =
  | 'send'
  | 'early'
  | 'poll'
  | 'signin'
  | 'totp-code'
  | 'token'
  | 'confirm'
  | 'limit'
  | 'passkey'
  | 'passkey-owner'
  | 'passkey-assertion'
  | 'recovery'
  | 'recovery-guess';

/**
 * The store's key for `kind` of `subject` (a destination, a SID, a token id): HMAC-SHA256 under
 * its own derived key, so the account's Sync data names no phone number or email, and nobody
 * without the key can tell whose record is whose. 43 base64url characters (Sync allows 320).
 */
export function stateKey(
  config: Pick<Config, 'signingSecret' | 'authToken'>,
  kind: StateKind,
  subject: string,
): string {
  const digest = createHmac('sha256', deriveKey(config, 'state-key'))
    .update(`${kind}\u0000${subject}`)
    .digest('base64url');
  return `${kind}.${digest}`;
}
