// The sealed-token format is RFC 7516's compact JWE (dir + A256GCM), made with node:crypto:
// jose, an independent implementation, must read our tokens, and we must read its.
import { CompactEncrypt, compactDecrypt } from 'jose';
import * as z from 'zod/mini';
import { deriveKey } from '../../src/security/derived-keys';
import { openToken, sealToken } from '../../src/security/sealed-token';

const key = deriveKey({ signingSecret: 'sealed-token-test' }, 'verification-handle');
const schema = z.strictObject({ n: z.int(), s: z.string() });

describe('sealed tokens', () => {
  it('are compact JWEs jose decrypts, with only alg dir and enc A256GCM in the protected header', async () => {
    const { plaintext, protectedHeader } = await compactDecrypt(sealToken({ n: 1, s: 'é' }, key), key);
    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({ n: 1, s: 'é' });
  });

  it("open jose's own dir + A256GCM tokens, and refuse one with another header (e.g. compressed)", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ n: 2, s: 'x' }));
    const fromJose = await new CompactEncrypt(body).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
    expect(openToken(fromJose, key, schema)).toEqual({ n: 2, s: 'x' });
    const withKid = await new CompactEncrypt(body)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'k1' })
      .encrypt(key);
    expect(openToken(withKid, key, schema)).toBeUndefined();
  });

  it('open as undefined when the content is not what the schema says, or under another key', () => {
    expect(openToken(sealToken({ n: 'one', s: 'x' }, key), key, schema)).toBeUndefined();
    expect(openToken(sealToken({ n: 1, s: 'x', extra: true }, key), key, schema)).toBeUndefined();
    expect(
      openToken(
        sealToken({ n: 1, s: 'x' }, key),
        deriveKey({ signingSecret: 'sealed-token-test' }, 'enrolment-handle'),
        schema,
      ),
    ).toBeUndefined();
  });
});
