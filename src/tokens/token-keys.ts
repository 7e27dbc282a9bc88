import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, importJWK } from 'jose';
import { AppError } from '../domain/app-error';
import type * as z from 'zod/mini';
import type { jwksResponse } from '../contract/responses';

/** The algorithms proof tokens are signed with: ECDSA P-256 and Ed25519. */
export type TokenAlgorithm = 'ES256' | 'EdDSA';
export const TOKEN_ALGORITHMS: readonly TokenAlgorithm[] = ['ES256', 'EdDSA'];

/** One key of /jwks, as the contract describes it. */
type PublicJwk = z.output<ReturnType<typeof jwksResponse>>['keys'][number];

interface SigningKey {
  kid: string;
  alg: TokenAlgorithm;
  /** A non-extractable WebCrypto key, imported on first use (only signing needs it, /jwks does not). */
  cryptoKey(): Promise<CryptoKey>;
}

export interface TokenKeys {
  /** Absent when TOKEN_SIGNING_KEY is blank: no token is issued. */
  signing?: SigningKey;
  /** Current key first, then the previous ones. */
  jwks: { keys: PublicJwk[] };
}

export interface TokenKeySettings {
  tokenSigningKey?: string;
  tokenPreviousKeys?: string;
}

const misconfigured = (message: string) => new AppError('server_misconfigured', { message });

function algorithmOf(key: KeyObject): TokenAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/** `.env` files and dashboards often hold a PEM on one line with literal `\n`s. */
const unescapePem = (text: string) => text.replace(/\\n/g, '\n');

/**
 * One key from a JWK object or a PEM block. Parsing goes through node:crypto (OpenSSL), which
 * also checks that an EC point lies on its curve; anything but P-256 and Ed25519 is refused,
 * so a token is never signed with an algorithm the backend example does not accept.
 */
function parseKey(
  source: string | JsonWebKey,
  name: string,
  needPrivate: boolean,
): { key: KeyObject; alg: TokenAlgorithm } {
  let key: KeyObject;
  try {
    if (typeof source === 'string') {
      key = /PRIVATE KEY-----/.test(source) ? createPrivateKey(source) : createPublicKey(source);
    } else {
      key =
        typeof source.d === 'string'
          ? createPrivateKey({ key: source, format: 'jwk' })
          : createPublicKey({ key: source, format: 'jwk' });
    }
  } catch {
    throw misconfigured(`${name} is not a valid key (expected a JWK or a PEM).`);
  }
  if (needPrivate && key.type !== 'private') throw misconfigured(`${name} must be a private key.`);
  const alg = algorithmOf(key);
  if (!alg) throw misconfigured(`${name} must be a P-256 (ES256) or Ed25519 (EdDSA) key.`);
  const declared = typeof source === 'object' ? source.alg : undefined;
  if (declared !== undefined && declared !== alg && !(alg === 'EdDSA' && declared === 'Ed25519')) {
    throw misconfigured(`${name} says alg ${String(declared)} but is a ${alg} key.`);
  }
  return { key, alg };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw misconfigured(`${name} is not valid JSON.`);
  }
}

/** TOKEN_PREVIOUS_KEYS: a JWK, an array of JWKs, a JWK set `{"keys": [...]}`, or PEM blocks. */
function splitPrevious(text: string): Array<string | JsonWebKey> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseJson(trimmed, 'TOKEN_PREVIOUS_KEYS');
    const list = Array.isArray(parsed)
      ? parsed
      : (parsed as { keys?: unknown }).keys !== undefined
        ? (parsed as { keys: unknown }).keys
        : [parsed];
    if (!Array.isArray(list) || list.some((k) => typeof k !== 'object' || k === null || Array.isArray(k))) {
      throw misconfigured('TOKEN_PREVIOUS_KEYS must hold JWK objects.');
    }
    return list as JsonWebKey[];
  }
  const blocks = unescapePem(trimmed).match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g);
  if (!blocks) throw misconfigured('TOKEN_PREVIOUS_KEYS is not a valid key (expected JWKs or PEM blocks).');
  return blocks;
}

async function publicJwkOf(key: KeyObject, alg: TokenAlgorithm): Promise<PublicJwk> {
  const { x, y } = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  // The members RFC 7638 hashes, in the two shapes algorithmOf admits.
  const members =
    alg === 'EdDSA'
      ? { kty: 'OKP' as const, crv: 'Ed25519' as const, x: String(x) }
      : { kty: 'EC' as const, crv: 'P-256' as const, x: String(x), y: String(y) };
  // RFC 7638: the kid is the key's own thumbprint, so it names the key and nothing else.
  const kid = await calculateJwkThumbprint(members, 'sha256');
  return { ...members, kid, alg, use: 'sig' };
}

async function loadKeys(settings: TokenKeySettings): Promise<TokenKeys> {
  const keys: PublicJwk[] = [];
  let signing: SigningKey | undefined;
  if (settings.tokenSigningKey) {
    const text = settings.tokenSigningKey.trim();
    const source = text.startsWith('{') ? (parseJson(text, 'TOKEN_SIGNING_KEY') as JsonWebKey) : unescapePem(text);
    if (typeof source === 'object' && (source === null || Array.isArray(source)))
      throw misconfigured('TOKEN_SIGNING_KEY must be one JWK object.');
    const { key, alg } = parseKey(source, 'TOKEN_SIGNING_KEY', true);
    const pub = await publicJwkOf(key, alg);
    const jwk = { ...key.export({ format: 'jwk' }), alg };
    let imported: Promise<CryptoKey> | undefined;
    const importKey = () =>
      (importJWK(jwk, alg) as Promise<CryptoKey>).catch(() => {
        throw misconfigured('TOKEN_SIGNING_KEY could not be imported for signing.');
      });
    signing = { kid: pub.kid, alg, cryptoKey: () => (imported ??= importKey()) };
    keys.push(pub);
  }
  if (settings.tokenPreviousKeys) {
    for (const source of splitPrevious(settings.tokenPreviousKeys)) {
      const { key, alg } = parseKey(source, 'TOKEN_PREVIOUS_KEYS', false);
      const pub = await publicJwkOf(key, alg);
      if (!keys.some((k) => k.kid === pub.kid)) keys.push(pub);
    }
  }
  return { signing, jwks: { keys } };
}

// Parsing and importing cost far more than signing: done once per distinct pair of values.
// A rejected promise is cached too, so a malformed key fails every request the same way.
let cached: { signingKey?: string; previousKeys?: string; keys: Promise<TokenKeys> } | undefined;
const NO_KEYS: Promise<TokenKeys> = Promise.resolve({ jwks: { keys: [] } });

/**
 * The keys from TOKEN_SIGNING_KEY and TOKEN_PREVIOUS_KEYS. A malformed value rejects with
 * `server_misconfigured` (its message names the variable, never the value).
 */
export function tokenKeys(settings: TokenKeySettings): Promise<TokenKeys> {
  if (!settings.tokenSigningKey && !settings.tokenPreviousKeys) return NO_KEYS;
  if (cached && cached.signingKey === settings.tokenSigningKey && cached.previousKeys === settings.tokenPreviousKeys)
    return cached.keys;
  const keys = loadKeys(settings);
  keys.catch(() => undefined);
  cached = { signingKey: settings.tokenSigningKey, previousKeys: settings.tokenPreviousKeys, keys };
  return keys;
}
