import { CompactEncrypt, compactDecrypt } from 'jose';
import * as z from 'zod/mini';

/**
 * A payload only this deployment can read or change, for the browser to hold between two
 * requests (the verification handle, the enrolment handle): a compact JWE (RFC 7516) with
 * `alg: "dir"` and `enc: "A256GCM"` under a key derived for that one purpose (derived-keys.ts),
 * by jose. The payload is checked against its schema on the way out: a token that does not
 * decrypt, or whose content is not what the schema says, opens as undefined.
 */
const HEADER = { alg: 'dir', enc: 'A256GCM' } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function sealToken(payload: unknown, key: Uint8Array): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(payload))).setProtectedHeader(HEADER).encrypt(key);
}

/**
 * One spelling per token: base64url's last character can carry spare bits, which a decoder
 * ignores, so the same token would otherwise have several texts.
 */
const isCanonical = (token: string) =>
  token.split('.').every((part) => Buffer.from(part, 'base64url').toString('base64url') === part);

export async function openToken<S extends z.ZodMiniType>(token: string, key: Uint8Array, schema: S): Promise<z.output<S> | undefined> {
  if (!isCanonical(token)) return undefined;
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(token, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    // Nothing beyond alg and enc: a header we did not write (e.g. `zip`) is not ours.
    if (Object.keys(protectedHeader).length !== 2) return undefined;
    const parsed = z.safeParse(schema, JSON.parse(decoder.decode(plaintext)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The shape of a compact JWE with direct encryption (empty encrypted-key part): for input schemas. */
export const SEALED_TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
