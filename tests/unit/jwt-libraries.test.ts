// docs/http-api.md and docs/mobile.md say a backend needs a JWT library that verifies the key's
// algorithm, and that jsonwebtoken (v9) cannot verify EdDSA: checked here, with jsonwebtoken as
// npm installs it for the twilio SDK (a transitive dependency: skipped, loudly, if it goes).
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';

type Verify = (token: string, key: string, options: { algorithms: string[] }) => unknown;
let verify: Verify | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  verify = (require('jsonwebtoken') as { verify: Verify }).verify;
} catch {
  console.warn(
    'tests/unit/jwt-libraries.test.ts: jsonwebtoken is not installed; the docs’ claim about it was NOT checked.',
  );
}

async function tokenSignedWith(type: 'ed25519' | 'ec'): Promise<{ token: string; publicPem: string }> {
  const { privateKey, publicKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = await new SignJWT({ sub: 'x' })
    .setProtectedHeader({ alg: type === 'ed25519' ? 'EdDSA' : 'ES256' })
    .setExpirationTime('5m')
    .sign(privateKey);
  return { token, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

(verify ? describe : describe.skip)('jsonwebtoken (v9) against proof tokens', () => {
  it('verifies an ES256 token (a P-256 key, what npm run keygen makes)', async () => {
    const { token, publicPem } = await tokenSignedWith('ec');
    expect(verify?.(token, publicPem, { algorithms: ['ES256'] })).toMatchObject({ sub: 'x' });
  });

  it('cannot verify an EdDSA token (an Ed25519 TOKEN_SIGNING_KEY): use jose there', async () => {
    const { token, publicPem } = await tokenSignedWith('ed25519');
    expect(() => verify?.(token, publicPem, { algorithms: ['EdDSA'] })).toThrow(/ed25519|invalid algorithm/i);
  });
});
