import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';

/**
 * A payload only this deployment can read or change, for the browser to hold between two
 * requests (the verification handle, the enrolment handle): a compact JWE (RFC 7516) with
 * `alg: "dir"` and `enc: "A256GCM"` under a key derived for that one purpose (derived-keys.ts).
 * The AEAD is node:crypto's AES-256-GCM, the serialisation RFC 7516's (the protected header is
 * the additional data), so jose reads these tokens and we read jose's (tests/unit/sealed-token.test.ts).
 * jose itself is not used here: its WebCrypto path cost these routes ~5 ms of cold start and
 * ~100 µs a request (bench/HISTORY.md). The payload is checked against its schema on the way
 * out: a token that does not decrypt, or whose content is not what the schema says, opens as undefined.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
const AAD = Buffer.from(HEADER, 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealToken(payload: unknown, key: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return [
    HEADER,
    '',
    iv.toString('base64url'),
    ciphertext.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

/** base64url with one spelling: the spare bits of a last character are not ignored. */
function decode(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

export function openToken<S extends z.ZodMiniType>(token: string, key: Uint8Array, schema: S): z.output<S> | undefined {
  const [header, encryptedKey, ivText, ciphertextText, tagText, ...rest] = token.split('.');
  // Only the header we write (no `zip`, no other algorithm) and no encrypted key (`dir`).
  if (
    header !== HEADER ||
    encryptedKey !== '' ||
    rest.length > 0 ||
    ivText === undefined ||
    ciphertextText === undefined ||
    tagText === undefined
  )
    return undefined;
  const iv = decode(ivText);
  const ciphertext = decode(ciphertextText);
  const tag = decode(tagText);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext || ciphertext.length === 0) return undefined;
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    payload = JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = z.safeParse(schema, payload);
  return parsed.success ? parsed.data : undefined;
}

/** The shape of a compact JWE with direct encryption (empty encrypted-key part): for input schemas. */
export const SEALED_TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
