import { hkdfSync } from 'node:crypto';
import { AppError } from '../domain/app-error';

/**
 * Every key this project derives, one per purpose, so a key made for one job (sealing a
 * verification handle) can never be replayed in another (hashing a subject id).
 */
export type KeyPurpose =
  | 'verification-handle'
  | 'subject-id'
  | 'totp-entity'
  | 'enrolment-handle'
  | 'state-key'
  | 'recovery-code'
  | 'passkey-owner';

/** Where key material comes from: SIGNING_SECRET when set, else the account's auth token. */
export interface SecretSource {
  signingSecret?: string;
  authToken?: string;
}

const SALT = 'verify-functions/v1';
const cache = new Map<string, Buffer>();

/**
 * A 32-byte key for `purpose`, derived with HKDF-SHA256 (RFC 5869). Without SIGNING_SECRET a
 * deploy still works: the auth token the runtime already holds is the input, under its own
 * label so the two sources never yield the same key. Rotating the secret invalidates every
 * handle in flight (they live at most one code window).
 */
export function deriveKey(source: SecretSource, purpose: KeyPurpose): Buffer {
  const signing = source.signingSecret?.trim();
  const material = signing || source.authToken?.trim();
  if (!material) {
    throw new AppError('server_misconfigured', {
      message: 'Set SIGNING_SECRET (or provide AUTH_TOKEN) so handles and ids can be keyed.',
    });
  }
  const info = `${purpose}/${signing ? 'signing-secret' : 'auth-token'}`;
  const id = `${info}\u0000${material}`;
  let key = cache.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', material, SALT, info, 32));
    if (cache.size > 16) cache.clear();
    cache.set(id, key);
  }
  return key;
}
