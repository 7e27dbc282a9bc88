import type * as z from 'zod/mini';
import type { passkeyRegisterResponse } from '../contract/responses';
import { AppError } from '../domain/app-error';
import type { RelyingParty } from '../domain/relying-party';
import { totpFriendlyName } from '../domain/totp-label';
import { ENROLMENT_HANDLE_TTL_MS, sealEnrolmentHandle } from '../security/enrolment-handle';
import { totpEntityIdentity } from '../security/totp-entity';
import { passkeysApi } from '../verify/passkeys-api';
import { verifyService } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import { mapPasskeyError } from './passkey-errors';
import type { TotpSubject } from './totp-enroll';

export type PasskeyRegistration = z.output<ReturnType<typeof passkeyRegisterResponse>>;

/**
 * Creates a Passkeys Factor for the subject's Entity (the same Entity as its authenticator
 * apps) and answers Verify's creation options. User verification is required (the
 * authenticator checks a PIN or biometric, not only a tap); any attachment, platform or
 * security key; discoverable credentials required: sign-in names no credential (so it does not
 * tell who has a passkey), and the browser offers the ones it holds, also in its autofill. An
 * authenticator that cannot keep one (an old U2F key) refuses the registration at once instead
 * of adding a passkey that could never sign in.
 */
export async function registerPasskey(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  input: TotpSubject & { relyingParty: RelyingParty },
): Promise<PasskeyRegistration> {
  const { relyingParty: rp, ...who } = input;
  const connection = connect();
  const entity = totpEntityIdentity(config, who.subject);
  const factor = await passkeysApi(verifyService(connection, serviceSid))
    .createFactor({
      friendly_name: totpFriendlyName(config.passkeyRpName ?? config.totpIssuer, who.maskedDestination),
      identity: entity,
      config: {
        relying_party: rp,
        authenticator_attachment: 'any',
        discoverable_credentials: 'required',
        user_verification: 'required',
      },
    })
    .catch((err: unknown) => Promise.reject(mapPasskeyError(err, connection.lastRetryAfter())));
  const publicKey = (factor.options as { publicKey?: unknown } | null)?.publicKey;
  const challenge = (publicKey as { challenge?: unknown } | null | undefined)?.challenge;
  if (typeof publicKey !== 'object' || publicKey === null || typeof challenge !== 'string' || challenge === '') {
    throw new AppError('verify_error', { message: 'Verify created the passkey factor without its creation options.' });
  }
  const expiresAt = connection.serverNow() + ENROLMENT_HANDLE_TTL_MS;
  return {
    ok: true,
    status: 'unverified',
    factorSid: factor.sid,
    publicKey: publicKey as Record<string, unknown>,
    handle: sealEnrolmentHandle(config, {
      factorSid: factor.sid,
      entity,
      subject: who.subject,
      destination: who.destination,
      expiresAt,
      challenge,
    }),
    expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
