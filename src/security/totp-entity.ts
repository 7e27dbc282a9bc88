import { createHmac } from 'node:crypto';
import type { SecretSource } from './derived-keys';
import { deriveKey } from './derived-keys';

/**
 * The Verify Entity identity for a subject: HMAC-SHA256 of the subject id under the
 * `totp-entity` key, as 64 hex characters (Verify's Identity: 8–64 dash-separated letters and
 * digits, never PII). Stable for a subject while the key material stays the same; nobody
 * without the key can tell whose it is.
 * @example totpEntityIdentity({ signingSecret: 's' }, 'subject-123') // '3f0c…' (64 hex)
 */
export function totpEntityIdentity(source: SecretSource, subject: string): string {
  return createHmac('sha256', deriveKey(source, 'totp-entity')).update(subject, 'utf8').digest('hex');
}
