import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { TotpConfirmInput } from '../domain/schemas/totp';
import { openEnrolmentHandle } from '../security/enrolment-handle';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import type { FactorInstance } from 'twilio/lib/rest/verify/v2/service/entity/factor';
import type { StateStore } from '../state/state-store';
import { removeTotpFactors } from './remove-factors';
import { useOnce } from './single-use';

/** How long a confirmed enrolment stays spent: longer than its handle lives (10 minutes). */
const SPENT_HANDLE_SECONDS = 15 * 60;

export interface TotpConfirmed {
  ok: true;
  status: 'verified';
  factorSid: string;
  /** For the proof token the adapter issues (`amr: ["otp"]`). */
  subject: string;
  /** The destination the enrolling proof token named (normalised), for the token's claims. */
  destination: string;
}

/**
 * Enrolment's last step: the first code from the app verifies the Factor. A wrong code is 401
 * incorrect_code; after 5 Verify refuses the Factor for good (60310), so it is removed and the
 * answer (429 max_totp_attempts) says to add the app again, which makes a new one.
 * A handle is spent once its factor is verified: Verify ignores AuthPayload on a verified factor
 * and answers it `verified`, so confirming again would hand out a token without checking a code.
 *
 * One authenticator per destination, as most services keep it: sign-in challenges the newest
 * verified factor only (one guess per request), so an older app would silently stop signing
 * in. Once the new app has proven itself, the factors created before it are removed; until
 * then the old one keeps working. A newer one (an enrolment started meanwhile, in another tab)
 * is left alone: confirmed, it replaces this one in turn. Removing is best effort: an older
 * factor left behind is never challenged.
 */
export async function confirmTotp(connection: VerifyConnection, store: StateStore, config: Config, serviceSid: string, input: TotpConfirmInput): Promise<TotpConfirmed> {
  const handle = await openEnrolmentHandle(config, input.handle, connection.serverNow());
  if (!handle) throw invalidHandle();
  const entity = verifyService(connection, serviceSid).entities(handle.entity);
  const factor = entity.factors(handle.factorSid);
  let updated;
  try {
    if ((await factor.fetch()).status === 'verified') throw alreadyAdded();
    updated = await factor.update({ authPayload: input.code });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const error = mapVerifyError(err, { notFound: 'invalid_enrolment_handle', incorrectCode: [60311] });
    if (error.code === 'max_totp_attempts') await factor.remove().catch(() => undefined);
    throw error.code === 'invalid_enrolment_handle' ? invalidHandle(error.twilioCode) : error;
  }
  if (updated.status !== 'verified') throw new AppError('incorrect_code', { field: 'code' });
  // Racing confirms of one handle can each see the factor unverified and each be answered
  // `verified`: only the first to spend the handle gets a token.
  if (!(await useOnce(store, config, 'confirm', updated.sid, SPENT_HANDLE_SECONDS))) throw alreadyAdded();
  await removeTotpFactors(entity, (factors) => createdBefore(factors, updated.sid)).catch(() => undefined);
  return { ok: true, status: 'verified', factorSid: updated.sid, subject: handle.subject, destination: handle.destination };
}

/** The factors created before `sid` (none when `sid` is not listed: removed meanwhile). */
function createdBefore(factors: FactorInstance[], sid: string): FactorInstance[] {
  const confirmed = factors.find((factor) => factor.sid === sid);
  return confirmed ? factors.filter((factor) => factor.dateCreated.getTime() < confirmed.dateCreated.getTime()) : [];
}

const alreadyAdded = () => new AppError('invalid_enrolment_handle', { field: 'handle', message: 'This authenticator app is already added: sign in with its code (/totp-check).' });

const invalidHandle = (twilioCode?: number) => new AppError('invalid_enrolment_handle', { field: 'handle', twilioCode });
