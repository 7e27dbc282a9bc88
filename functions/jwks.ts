/**
 * GET /jwks — the public keys that verify proof tokens (RFC 7517 JWK set), for your backend
 * (e.g. jose's createRemoteJWKSet). The current key first, then TOKEN_PREVIOUS_KEYS, each with
 * `kid` = its RFC 7638 thumbprint. Cacheable for 5 minutes: rotate by moving the old key to
 * TOKEN_PREVIOUS_KEYS and leaving it there for at least TOKEN_TTL + 5 minutes.
 *
 * 200: { keys: [{ kty, crv, x, y?, kid, alg, use: "sig" }] } (empty when no key is set)
 * Any Origin may read it (`Access-Control-Allow-Origin: *`): public keys, no credentials.
 * Errors: server_misconfigured (500: a malformed key), method_not_allowed (405: not a GET)
 */
import { defineRoute } from '../src/http/define-route';
import { tokenKeys } from '../src/tokens/token-keys';

const CACHEABLE = { 'Cache-Control': 'public, max-age=300' };

export const handler = defineRoute({
  name: 'jwks',
  methods: ['GET'],
  anyOrigin: true,
  async run({ config }) {
    const { jwks } = await tokenKeys(config);
    return { body: jwks, headers: CACHEABLE };
  },
});
