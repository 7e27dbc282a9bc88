// Verifying a verify-functions proof token in YOUR backend (Node 20+, `npm install jose`).
// The app sends the `token` from /check-verify; you trust the phone number or email in it
// only once all of this passes. tests/integration/backend-example.test.ts runs this file,
// unchanged, against the local stack.
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

/**
 * @param {object} options
 * @param {string} options.issuer    Your deployment's origin, e.g. "https://verify-1234-dev.twil.io"
 * @param {string} options.audience  The TOKEN_AUDIENCE you configured
 * @param {string[]} [options.acceptedAmr]  How the code may have been delivered (RFC 8176):
 *   "sms", "tel" (voice call), "otp" (email, WhatsApp, RCS). Default: all three.
 * @param {{ add(jti: string, expiresAt: number): Promise<boolean> | boolean }} [options.seenTokens]
 *   Replay guard: add() returns false when the jti was already there. The default lives in
 *   memory, which is right for ONE process; with several, use a shared store (Redis:
 *   SET jti 1 NX EXAT exp).
 */
export function proofTokenVerifier({
  issuer,
  audience,
  acceptedAmr = ['sms', 'tel', 'otp'],
  seenTokens = memorySeenTokens(),
}) {
  // Fetches /jwks on first use and when a token names an unknown kid (at most every 30 s),
  // so a key rotation needs nothing from you.
  const keys = createRemoteJWKSet(new URL('/jwks', issuer));

  return async function verifyProofToken(token) {
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience,
      algorithms: ['ES256', 'EdDSA'], // never "none", never HS256 (that would trust the public key as a secret)
      requiredClaims: ['sub', 'iat', 'exp', 'jti', 'amr'],
    });
    if (!Array.isArray(payload.amr) || !payload.amr.some((method) => acceptedAmr.includes(method))) {
      throw new errors.JWTClaimValidationFailed('amr not accepted', payload, 'amr', 'check_failed');
    }
    if (!(await seenTokens.add(payload.jti, payload.exp))) {
      throw new errors.JWTClaimValidationFailed('token already used', payload, 'jti', 'check_failed');
    }
    // payload.sub: a stable id for this phone number or email (use it as the account key);
    // payload.phone_number / payload.email: the destination that was verified.
    return payload;
  };
}

/** In-memory replay guard: remembers each jti until its token expires. */
export function memorySeenTokens() {
  const seen = new Map();
  return {
    add(jti, expiresAt) {
      const now = Date.now() / 1000;
      for (const [id, exp] of seen) if (exp < now) seen.delete(id);
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt);
      return true;
    },
  };
}
