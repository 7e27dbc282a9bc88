import { AppError } from '../domain/app-error';
import { resolveEitherDestination, type Destination } from '../domain/destination';
import { maskDestination } from '../domain/mask';
import type { TotpCheckInput } from '../domain/schemas/totp';
import type { UsageLimit } from '../domain/usage-windows';
import { totpEntityIdentity } from '../security/totp-entity';
import { stateKey } from '../state/state-keys';
import { spendTotpCode } from './single-use';
import { meterUse } from './usage-meter';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService } from '../verify/verify-client';
import { newestFirst } from './factor-order';
import type { ChallengeInstance } from 'twilio/lib/rest/verify/v2/service/entity/challenge';
import type { FlowContext } from './flow-context';

export interface TotpChecked {
  ok: true;
  status: 'approved';
  factorSid: string;
}

/** A wrong code, a subject without a verified factor and a challenge Verify leaves pending all read the same. */
const wrongCode = () => new AppError('incorrect_code', { field: 'code' });

/**
 * Sign-in attempts per destination, counted before Verify is asked and alike whether or not it
 * has an app. Fixed windows let at most twice a limit through in any span of its length (20 an
 * hour, 80 a day), under Verify's per-factor 50 an hour and 100 a day (60312): Verify's limit,
 * which only a destination with an app can reach, is never what answers.
 */
const SIGN_IN_LIMITS: readonly UsageLimit[] = [
  { seconds: 3600, limit: 10 },
  { seconds: 86_400, limit: 40 },
];

/**
 * Sign-in with an authenticator code for `subject` (the adapter derives it from the destination
 * the same way proof tokens do): a Challenge on the newest verified factor with the code as
 * AuthPayload. Approved → the adapter issues a proof token; pending → 401; over the destination's
 * budget (SIGN_IN_LIMITS) → 429 totp_rate_limited with retryAfter before Verify is asked; an
 * approved code a second time → 401 like any wrong code.
 */
export async function checkTotp(
  { config, serviceSid, connect, store }: FlowContext,
  input: Pick<TotpCheckInput, 'code'> & { subject: string },
): Promise<TotpChecked> {
  const { subject } = input;
  const connection = connect();
  await meterUse(
    store,
    stateKey(config, 'signin', subject),
    SIGN_IN_LIMITS,
    (retryAfter) => new AppError('totp_rate_limited', { retryAfter }),
  );
  const entity = verifyService(connection, serviceSid).entities(totpEntityIdentity(config, subject));
  let factorSid: string | undefined;
  try {
    const factors = await entity.factors.list({ limit: 20 });
    factorSid = factors
      .filter((factor) => factor.factorType === 'totp' && factor.status === 'verified')
      .sort(newestFirst)[0]?.sid;
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'incorrect_code' });
    if (error.code !== 'incorrect_code') throw error;
  }
  if (!factorSid) {
    // A subject with a factor costs two Verify round trips; one without makes a second one too,
    // so the answer's timing does not tell who has an authenticator app either.
    await entity.challenges.list({ limit: 1 }).catch(() => undefined);
    throw wrongCode();
  }
  let challenge: ChallengeInstance;
  try {
    challenge = await entity.challenges.create({ factorSid, authPayload: input.code });
  } catch (err) {
    const error = mapVerifyError(err, {
      notFound: 'incorrect_code',
      retryAfter: connection.lastRetryAfter(),
      incorrectCode: [60318],
    });
    // Every flavour of "no such code" reads exactly like a wrong code, without Twilio's code.
    throw error.code === 'incorrect_code' ? wrongCode() : error;
  }
  if (challenge.status !== 'approved') throw wrongCode();
  // Single use: Verify approves a code again inside its window, so the first approval spends it.
  if (!(await spendTotpCode(store, config, factorSid, input.code))) throw wrongCode();
  return { ok: true, status: 'approved', factorSid };
}

/** A phone number written as E.164 already: `+`, the country code, at most 15 digits. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Runs a sign-in `attempt` for the destination `to` names. A number already written as E.164
 * is tried as typed, without parsing it: parsing (libphonenumber) is most of this route's cold
 * start, and it cannot change the outcome of an approval. Only a factor enrolled with a sent
 * code's token exists, and that token names Verify's E.164, so a typed number that is not the
 * enrolled spelling, or not a number at all, reads as a wrong code. Only then is it parsed: an
 * invalid number answers invalid_phone_number as it always did, and a valid one spelt otherwise
 * (e.g. a national prefix after the country code) is tried again as parsed. Nothing is guessed
 * twice: the typed spelling has no factor, so its attempt made no challenge.
 */
export async function withSignInDestination<T>(
  to: string,
  country: string | undefined,
  attempt: (destination: Destination) => Promise<T>,
): Promise<T> {
  if (!E164.test(to)) return attempt(resolveEitherDestination(to, country));
  try {
    return await attempt({ to, masked: maskDestination(to) });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'incorrect_code') throw err;
    const parsed = resolveEitherDestination(to, country);
    if (parsed.to === to) throw err;
    return attempt(parsed);
  }
}
