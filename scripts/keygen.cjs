// `npm run keygen`: prints a new proof-token signing key as a line for .env (ES256, a P-256
// private JWK on one line, which fits the hosted runtime's 450-character limit per variable).
// `npm start` uses generateSigningKey() for a key that lives only as long as the session.
// Plain CommonJS with node:crypto only, so it runs without a build.
const { generateKeyPairSync } = require('node:crypto');

/** A fresh P-256 private key as a one-line JWK (`alg` ES256); the public half is derived from it. */
function generateSigningKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y, d } = privateKey.export({ format: 'jwk' });
  return JSON.stringify({ kty, crv, x, y, d, alg: 'ES256' });
}

module.exports = { generateSigningKey };

if (require.main === module) {
  process.stdout.write(`TOKEN_SIGNING_KEY=${generateSigningKey()}\n`);
  process.stderr.write(
    "Put this line in .env (git-ignored; `cp .env.example .env` makes it), and set TOKEN_AUDIENCE to your backend's identifier.\n",
  );
}
