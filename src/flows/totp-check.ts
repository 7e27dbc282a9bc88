import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { TotpCheckInput } from '../domain/schemas/totp';
import { totpEntityIdentity } from '../security/totp-entity';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';

export interface TotpChecked {
  ok: true;
  status: 'approved';
  factorSid: string;
}

/** A wrong code, a subject without a verified factor and a challenge Verify leaves pending all read the same. */
const wrongCode = () => new AppError('incorrect_code', { field: 'code' });

/**
 * Sign-in with an authenticator code for `subject` (the adapter derives it from the destination
 * the same way proof tokens do): a Challenge on the newest verified factor with the code as
 * AuthPayload. Approved → the adapter issues a proof token; pending → 401; Verify's attempt and
 * creation limits (60308 / 60312) → 429 with retryAfter.
 */
export async function checkTotp(connection: VerifyConnection, config: Config, serviceSid: string, subject: string, input: Pick<TotpCheckInput, 'code'>): Promise<TotpChecked> {
  const entity = verifyService(connection, serviceSid).entities(totpEntityIdentity(config, subject));
  let factorSid: string | undefined;
  try {
    const factors = await entity.factors.list({ limit: 20 });
    factorSid = factors
      .filter((factor) => factor.factorType === 'totp' && factor.status === 'verified')
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())[0]?.sid;
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
  let challenge;
  try {
    challenge = await entity.challenges.create({ factorSid, authPayload: input.code });
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'incorrect_code', retryAfter: connection.lastRetryAfter(), incorrectCode: [60318] });
    // Every flavour of "no such code" reads exactly like a wrong code, without Twilio's code.
    throw error.code === 'incorrect_code' ? wrongCode() : error;
  }
  if (challenge.status !== 'approved') throw wrongCode();
  return { ok: true, status: 'approved', factorSid };
}
