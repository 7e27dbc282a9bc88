import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { bearerToken, type FunctionEvent } from '../http/request';
import type { RouteAuth, SecurityScheme } from '../http/route-auth';
import { verifyProofToken } from './proof-token';
import { CHANNELS } from '../domain/channels';

/** Who a verified proof token names: the subject id and the destination it proved. */
export interface ProvenSubject {
  /** The token's `sub` (a keyed hash of the destination). */
  subject: string;
  /** The normalised destination (E.164 or lower-cased email) from `phone_number` / `email`. */
  destination: string;
  kind: 'phone' | 'email';
  /** The token's `channel`: how the destination was proven (`totp` for an authenticator app). */
  channel: string;
  /** The token's `jti` and `exp` (seconds), so a route can spend it once. */
  tokenId: string;
  expiresAt: number;
}

/**
 * The TOTP routes that act for a person (enrol, list, remove) take a proof token as
 * `Authorization: Bearer …`, never a subject in the body: only someone who has just proven a
 * destination can manage that destination's authenticators. Anything wrong is 401 invalid_token.
 */
async function requireProofToken(event: FunctionEvent, config: Config): Promise<ProvenSubject> {
  const token = bearerToken(event);
  if (token === undefined) throw new AppError('invalid_token', { field: 'authorization' });
  const claims = await verifyProofToken(token, config, event).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'invalid_token'
      ? new AppError('invalid_token', { field: 'authorization' })
      : err;
  });
  const destination = 'phone_number' in claims ? claims.phone_number : claims.email;
  if (typeof claims.sub !== 'string' || typeof destination !== 'string' || destination === '') {
    throw new AppError('invalid_token', { field: 'authorization' });
  }
  return {
    subject: claims.sub,
    destination,
    kind: 'phone_number' in claims ? 'phone' : 'email',
    channel: typeof claims.channel === 'string' ? claims.channel : '',
    tokenId: claims.jti,
    expiresAt: claims.exp,
  };
}

/**
 * Adding or removing an authenticator app needs a proof made with a code SENT to the
 * destination. A token from an authenticator sign-in (`channel: "totp"`, or a token without a
 * channel) is refused with 403 `sent_code_required`: otherwise one stolen or guessed
 * authenticator proof could add the attacker's own app (sign-in for good, without the phone
 * or mailbox) or remove the owner's. Listing the apps takes any proof token.
 */
async function requireSentCodeProof(event: FunctionEvent, config: Config): Promise<ProvenSubject> {
  const proven = await requireProofToken(event, config);
  // A delivery channel as Verify names it (what check-verify signs), not `totp` and not a missing one.
  if (!(CHANNELS as readonly string[]).includes(proven.channel))
    throw new AppError('sent_code_required', { field: 'authorization' });
  return proven;
}

const PROOF_TOKEN_SCHEME: SecurityScheme = {
  name: 'proofToken',
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'A proof token this deployment signed (TOTP routes). Adding or removing an app needs one from a code sent to the destination (/check-verify): an app sign-in\'s (`channel: "totp"`) is 403 `sent_code_required`.',
};

/** Any proof token this deployment signed (listing authenticator apps). */
export const proofTokenAuth: RouteAuth<ProvenSubject> = { scheme: PROOF_TOKEN_SCHEME, check: requireProofToken };

/** A proof token from a code sent to the destination (adding or removing an authenticator app). */
export const sentCodeProofAuth: RouteAuth<ProvenSubject> = { scheme: PROOF_TOKEN_SCHEME, check: requireSentCodeProof };
