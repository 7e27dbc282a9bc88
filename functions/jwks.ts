/**
 * GET /jwks, for your backend (e.g. jose's createRemoteJWKSet). Rotate by moving the old key to
 * TOKEN_PREVIOUS_KEYS and leaving it there for at least TOKEN_TTL + 5 minutes (the cache's life).
 */
import { jwksResponse } from '../src/contract/responses';
import { defineRoute } from '../src/http/define-route';
import { tokenKeys } from '../src/tokens/token-keys';

export const handler = defineRoute({
  name: 'jwks',
  tag: 'tokens',
  methods: ['GET'],
  summary: 'Public keys that verify proof tokens',
  description: 'RFC 7517 JWK set: the current key, then TOKEN_PREVIOUS_KEYS. Empty when no signing key is set.',
  responses: { 200: jwksResponse },
  errors: [],
  anyOrigin: true,
  cacheControl: 'public, max-age=300',
  async run({ config }) {
    const { jwks } = await tokenKeys(config);
    return { body: jwks };
  },
});
