import { AppError } from '../domain/app-error';
import { mapVerifyError } from '../verify/map-verify-error';

/** What Verify answers when the credential does not check out: wrong challenge, origin, RP id, signature, counter, UV; answered, expired, incomplete. */
const NOT_ACCEPTED = [60311, 60322, 60323, 60324, 60379, 60381];
/** The relying party or the Service's passkeys settings are missing or malformed: set up, not the caller's fault. */
const NOT_SET_UP = new Set([60371, 60393, 60394]);

/**
 * A Passkeys call's failure as the API answers it: every refusal of the credential is one
 * answer (401 passkey_not_accepted, field `credential`), without Twilio's code, so a caller
 * learns nothing about which check failed; a Service without passkeys settings is
 * server_misconfigured with the fix.
 */
export function mapPasskeyError(err: unknown, retryAfter?: number): AppError {
  const error = mapVerifyError(err, { notFound: 'passkey_not_accepted', incorrectCode: NOT_ACCEPTED, retryAfter });
  if (error.twilioCode !== undefined && NOT_SET_UP.has(error.twilioCode)) {
    return new AppError('server_misconfigured', {
      twilioCode: error.twilioCode,
      message:
        "The Verify Service has no passkeys relying party: run /create-service (it sets the Service's passkeys from PASSKEY_RP_ID, PASSKEY_RP_NAME and PASSKEY_ORIGINS).",
    });
  }
  if (error.code === 'incorrect_code' || error.code === 'passkey_not_accepted') return notAccepted();
  return error;
}

export const notAccepted = () => new AppError('passkey_not_accepted', { field: 'credential' });
