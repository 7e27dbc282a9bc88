import type { Config } from '../config';
import type { StateStore } from '../state/state-store';
import { AppError } from '../domain/app-error';
import type { TotpConfirmInput } from '../domain/schemas/totp';
import { openEnrolmentHandle } from '../security/enrolment-handle';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService } from '../verify/verify-client';
import type { FactorInstance } from 'twilio/lib/rest/verify/v2/service/entity/factor';
import { removeTotpFactors } from './remove-factors';
import { claimKey, SPENT_CODE_SECONDS, totpCodeKey } from './single-use';
import { stateKey } from '../state/state-keys';
import { newestFirst } from './factor-order';
import type { FlowContext } from './flow-context';

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
 * While one confirm of a handle is at Verify, another is 409 confirm_in_progress (try again).
 *
 * One authenticator per destination, as most services keep it: sign-in challenges the newest
 * verified factor only (one guess per request, see factor-order.ts), so an older app would
 * silently stop signing in. Once the new app has proven itself, the factors before it in that
 * order are removed (older, or created in the same second with a lower SID); until then the old
 * one keeps working. A newer one (an enrolment started meanwhile, in another tab) is left alone:
 * confirmed, it replaces this one in turn. Removing is best effort: a factor left behind is
 * never challenged.
 *
 * The handle is spent in the store before Verify is asked, then the code (which then cannot
 * sign in at /totp-check as well): a store that fails answers 503 with nothing done at Verify,
 * and racing confirms of one handle meet Verify one at a time. A wrong code (or Verify failing)
 * gives both back, so the person may try again; a factor verified already keeps them spent.
 */
export async function confirmTotp(
  { config, serviceSid, connect, store }: FlowContext,
  input: TotpConfirmInput,
): Promise<TotpConfirmed> {
  const connection = connect();
  const handle = openEnrolmentHandle(config, input.handle, connection.serverNow());
  if (!handle) throw invalidHandle();
  const entity = verifyService(connection, serviceSid).entities(handle.entity);
  const factor = entity.factors(handle.factorSid);
  const spent = await spendForConfirm(store, config, handle.factorSid, input.code);
  if (!spent) throw await handleTaken(factor);
  let verified: FactorInstance;
  try {
    if ((await factor.fetch()).status === 'verified') throw alreadyAdded();
    verified = await factor.update({ authPayload: input.code });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const error = mapVerifyError(err, { notFound: 'invalid_enrolment_handle', incorrectCode: [60311] });
    if (error.code === 'max_totp_attempts') await factor.remove().catch(() => undefined);
    else await spent.giveBack();
    throw error.code === 'invalid_enrolment_handle' ? invalidHandle(error.twilioCode) : error;
  }
  if (verified.status !== 'verified') {
    await spent.giveBack();
    throw new AppError('incorrect_code', { field: 'code' });
  }
  await removeTotpFactors(entity, (factors) => outrankedBy(factors, verified.sid)).catch(() => undefined);
  return {
    ok: true,
    status: 'verified',
    factorSid: verified.sid,
    subject: handle.subject,
    destination: handle.destination,
  };
}

/**
 * Spends the handle, then the code: undefined when the handle is spent already (being
 * confirmed, or confirmed), and a code spent already reads as a wrong one. The handle goes
 * first so that racing confirms of one handle are told apart by it alone: spent together, one
 * racer could win the handle while another won the code, and the first would be told a right
 * code was wrong.
 * Whatever this request spent is given back on refusal, best effort (a failed give-back only
 * means adding the app again).
 */
async function spendForConfirm(
  store: StateStore,
  config: Config,
  factorSid: string,
  code: string,
): Promise<{ giveBack(): Promise<void> } | undefined> {
  const handle = await claimKey(store, stateKey(config, 'confirm', factorSid), SPENT_HANDLE_SECONDS);
  if (!handle.won) return undefined;
  const codeMark = await claimKey(store, totpCodeKey(config, factorSid, code), SPENT_CODE_SECONDS).catch(
    async (err: unknown) => {
      await handle.giveBack();
      throw err;
    },
  );
  const giveBack = async () => {
    await Promise.all([handle.giveBack(), codeMark.giveBack()]);
  };
  if (!codeMark.won) {
    await giveBack();
    throw new AppError('incorrect_code', { field: 'code' });
  }
  return { giveBack };
}

/** What the confirmed factor replaces: every factor after it in sign-in order (none when it was removed meanwhile). */
function outrankedBy(factors: FactorInstance[], sid: string): FactorInstance[] {
  const confirmed = factors.find((factor) => factor.sid === sid);
  return confirmed ? factors.filter((factor) => newestFirst(confirmed, factor) < 0) : [];
}

/**
 * Why another request holds the handle, as Verify has the factor: verified (the app is added:
 * sign in), or not yet (a confirm is at Verify now, and may still fail on a wrong code: this
 * one's code may be the right one, so it is told to try again, not that the app is added).
 */
async function handleTaken(factor: { fetch(): Promise<FactorInstance> }): Promise<AppError> {
  const status = await factor.fetch().then(
    (current) => current.status,
    (err: unknown) => mapVerifyError(err, { notFound: 'invalid_enrolment_handle' }),
  );
  if (status instanceof AppError)
    return status.code === 'invalid_enrolment_handle' ? invalidHandle(status.twilioCode) : status;
  return status === 'verified' ? alreadyAdded() : new AppError('confirm_in_progress', { field: 'handle' });
}

const alreadyAdded = () =>
  new AppError('invalid_enrolment_handle', {
    field: 'handle',
    message: 'This authenticator app is already added: sign in with its code (/totp-check).',
  });

const invalidHandle = (twilioCode?: number) =>
  new AppError('invalid_enrolment_handle', { field: 'handle', twilioCode });
