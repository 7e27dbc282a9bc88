import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { UsageLimit } from '../domain/usage-windows';
import type { PasskeyCheckInput } from '../domain/schemas/passkeys';
import { totpEntityIdentity } from '../security/totp-entity';
import { stateKey } from '../state/state-keys';
import type { StateStore } from '../state/state-store';
import { passkeysApi } from '../verify/passkeys-api';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { mapPasskeyError, notAccepted } from './passkey-errors';
import { meterUse } from './usage-meter';

/**
 * Sign-in challenges per destination, counted before Verify is asked, alike with or without a
 * passkey. A passkey cannot be guessed (an assertion is a signature), so this budget is about
 * cost and noise, not guesses: each challenge is one Verify call, answered at most once.
 */
export const PASSKEY_CHALLENGE_LIMITS: readonly UsageLimit[] = [
  { seconds: 3600, limit: 30 },
  { seconds: 86_400, limit: 100 },
];

/**
 * A Passkeys Challenge for the subject's Entity: Verify's request options list the subject's
 * passkeys (`allowCredentials`); a subject without one gets options nothing can answer, the
 * same answer, so the route does not tell who has a passkey.
 */
export async function challengePasskey(connection: VerifyConnection, store: StateStore, config: Config, serviceSid: string, subject: string): Promise<{ ok: true; publicKey: Record<string, unknown> }> {
  await meterUse(store, stateKey(config, 'passkey', subject), PASSKEY_CHALLENGE_LIMITS, (retryAfter) => new AppError('passkey_rate_limited', { retryAfter }));
  let challenge;
  try {
    challenge = await passkeysApi(verifyService(connection, serviceSid)).createChallenge({ identity: totpEntityIdentity(config, subject) });
  } catch (err) {
    throw mapPasskeyError(err, connection.lastRetryAfter());
  }
  const publicKey = (challenge.options as { publicKey?: unknown } | null)?.publicKey;
  if (typeof publicKey !== 'object' || publicKey === null) throw new AppError('verify_error', { message: 'Verify created the passkey challenge without its request options.' });
  return { ok: true, publicKey: publicKey as Record<string, unknown> };
}

/**
 * The assertion goes to Verify (ApproveChallenge), which checks the challenge, origin, RP id,
 * signature, user verification and signature counter, and approves the challenge once. The
 * approved challenge must be the subject's own: a passkey of someone else, answering their own
 * challenge, proves nothing about `to`.
 */
export async function checkPasskey(connection: VerifyConnection, config: Config, serviceSid: string, subject: string, input: Pick<PasskeyCheckInput, 'credential'>): Promise<{ ok: true; status: 'approved'; factorSid: string }> {
  let approved;
  try {
    approved = await passkeysApi(verifyService(connection, serviceSid)).approveChallenge(input.credential);
  } catch (err) {
    throw mapPasskeyError(err, connection.lastRetryAfter());
  }
  if (approved.status !== 'approved' || approved.identity !== totpEntityIdentity(config, subject)) throw notAccepted();
  return { ok: true, status: 'approved', factorSid: approved.factorSid };
}
