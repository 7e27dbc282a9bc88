import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { deriveKey } from '../security/derived-keys';
import { header, isLoopbackHost, type FunctionEvent } from '../http/request';
import { subjectClaims, type SubjectClaims, type VerifiedDestination } from './subject';
import { TOKEN_ALGORITHMS, tokenKeys, type TokenKeys } from './token-keys';

/** Everything a proof token says, as `verifyProofToken` returns it. */
export type ProofClaims = SubjectClaims & { iss: string; aud: string; iat: number; exp: number; jti: string };

/**
 * The `iss` of our tokens: `https://DOMAIN_NAME` once deployed (the runtime sets it; the Host
 * header is the caller's to choose, so it is never trusted there). When served locally
 * (DOMAIN_NAME on loopback), the origin the request was sent to, over http: that is the
 * address a local backend fetches /jwks from, whichever port a proxy in front uses.
 */
export function tokenIssuer(config: Pick<Config, 'domainName'>, event: FunctionEvent): string {
  const domain = config.domainName?.trim();
  if (domain && !isLoopbackHost(domain)) return `https://${domain}`;
  const host = header(event, 'host');
  if (domain && host && isLoopbackHost(host)) return `http://${host.toLowerCase()}`;
  if (domain) return `http://${domain}`;
  throw new AppError('server_misconfigured', { message: 'DOMAIN_NAME is not set: proof tokens need an issuer.' });
}

export interface ProofTokenIssuer {
  /** A signed proof token for a destination Verify has just approved. */
  issue(verified: VerifiedDestination): Promise<string>;
}

/**
 * What signs proof tokens for this request, or undefined when TOKEN_SIGNING_KEY is blank (no
 * token is issued). Call it BEFORE checking the code: a malformed key, or a key without
 * TOKEN_AUDIENCE, answers `server_misconfigured` without using up the person's code.
 */
export async function proofTokenIssuer(config: Config, event: FunctionEvent): Promise<ProofTokenIssuer | undefined> {
  const { signing } = await tokenKeys(config);
  if (!signing) return undefined;
  const audience = config.tokenAudience;
  if (!audience)
    throw new AppError('server_misconfigured', {
      message: 'Set TOKEN_AUDIENCE (your backend\u2019s identifier) to issue proof tokens.',
    });
  const issuer = tokenIssuer(config, event);
  const privateKey = await signing.cryptoKey();
  // The `sub` key too must exist before the code is checked (it throws when there is none).
  deriveKey(config, 'subject-id');
  return {
    issue(verified) {
      if (typeof verified.to !== 'string' || verified.to.trim() === '') {
        return Promise.reject(
          new AppError('verify_unavailable', { message: 'Verify did not say which destination it approved.' }),
        );
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(subjectClaims(verified, config))
        .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + config.tokenTtl)
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

/**
 * The TOTP routes exist to hand out proof tokens (and enrolment needs one), so for them a blank
 * TOKEN_SIGNING_KEY is a misconfiguration, said before Verify is called.
 */
export async function requireTokenIssuer(config: Config, event: FunctionEvent): Promise<ProofTokenIssuer> {
  const issuer = await proofTokenIssuer(config, event);
  if (!issuer)
    throw new AppError('server_misconfigured', {
      message: 'Set TOKEN_SIGNING_KEY and TOKEN_AUDIENCE: authenticator apps need proof tokens.',
    });
  return issuer;
}

const keySets = new WeakMap<TokenKeys, JWTVerifyGetKey>();

/**
 * Checks a proof token sent back to us (e.g. `Authorization: Bearer …` on a TOTP route):
 * signature by the current or a previous key, `iss`, `aud`, `exp`. Anything wrong is
 * `invalid_token` (401), without saying which check failed.
 */
export async function verifyProofToken(token: string, config: Config, event: FunctionEvent): Promise<ProofClaims> {
  const keys = await tokenKeys(config);
  const audience = config.tokenAudience;
  if (keys.jwks.keys.length === 0 || !audience) {
    throw new AppError('server_misconfigured', {
      message: 'Set TOKEN_SIGNING_KEY and TOKEN_AUDIENCE to accept proof tokens.',
    });
  }
  const issuer = tokenIssuer(config, event);
  let keySet = keySets.get(keys);
  if (!keySet) keySets.set(keys, (keySet = createLocalJWKSet(keys.jwks)));
  try {
    const { payload } = await jwtVerify(token, keySet, {
      issuer,
      audience,
      algorithms: [...TOKEN_ALGORITHMS],
      requiredClaims: ['sub', 'iat', 'exp', 'jti', 'amr'],
    });
    return payload as unknown as ProofClaims;
  } catch {
    throw new AppError('invalid_token');
  }
}
