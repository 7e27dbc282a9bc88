import { AppError } from '../domain/app-error';
import type { PasskeyConfirmInput } from '../domain/schemas/passkeys';
import { openEnrolmentHandle } from '../security/enrolment-handle';
import { passkeysApi } from '../verify/passkeys-api';
import { verifyService } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import { clientDataChallenge } from './passkey-client-data';
import { mapPasskeyError, notAccepted } from './passkey-errors';
import { recordPasskeyOwner } from './passkey-sign-in';
import { useOnce } from './single-use';

export interface PasskeyConfirmed {
  ok: true;
  status: 'verified';
  factorSid: string;
  subject: string;
  destination: string;
}

/** How long a confirmed registration stays spent: longer than its handle lives (10 minutes). */
const SPENT_HANDLE_SECONDS = 15 * 60;

/**
 * Registration's last step: the authenticator's attestation goes to Verify (VerifyFactor),
 * which checks it against the factor's challenge, origins and RP id. Verify finds the factor
 * by the challenge inside the attestation, so the attestation must answer the challenge sealed
 * in the handle (checked before Verify is asked) and Verify's answer must name the handle's
 * factor; a handle is spent once (racing confirms: one token).
 */
export async function confirmPasskey(
  { config, serviceSid, connect, store }: FlowContext,
  input: PasskeyConfirmInput,
): Promise<PasskeyConfirmed> {
  const connection = connect();
  const handle = openEnrolmentHandle(config, input.handle, connection.serverNow());
  if (!handle?.challenge)
    throw new AppError('invalid_enrolment_handle', {
      field: 'handle',
      message: 'This passkey registration has expired or is not valid. Add the passkey again.',
    });
  // Verify would verify whichever pending factor the attestation's challenge names: an answer
  // to someone else's registration, sent with this handle, would add a passkey to their account.
  if (clientDataChallenge(input.credential.response.clientDataJSON) !== handle.challenge) throw notAccepted();
  // Before Verify is asked, so a passkey Verify verified always has an owner record (a discoverable sign-in reads it).
  await recordPasskeyOwner(store, config, {
    entity: handle.entity,
    subject: handle.subject,
    destination: handle.destination,
    factorSid: handle.factorSid,
  });
  const factor = await passkeysApi(verifyService(connection, serviceSid))
    .verifyFactor(input.credential)
    .catch((err: unknown) => Promise.reject(mapPasskeyError(err, connection.lastRetryAfter())));
  if (factor.sid !== handle.factorSid || factor.status !== 'verified') throw notAccepted();
  if (!(await useOnce(store, config, 'confirm', factor.sid, SPENT_HANDLE_SECONDS))) {
    throw new AppError('invalid_enrolment_handle', {
      field: 'handle',
      message: 'This passkey is already added: sign in with it (/passkey-check).',
    });
  }
  return {
    ok: true,
    status: 'verified',
    factorSid: factor.sid,
    subject: handle.subject,
    destination: handle.destination,
  };
}
