import type { RelyingParty } from '../domain/relying-party';
import type { CreateServiceInput } from '../domain/schemas/create-service';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';
import { ensureRateLimits } from './ensure-rate-limits';
import type * as z from 'zod/mini';
import type { createServiceResponse } from '../contract/responses';

/** What /create-service answers, but the Sync part (ensure-sync.ts). */
export type EnsureServiceResult = Omit<z.output<ReturnType<typeof createServiceResponse>>, 'sync'>;

/**
 * The Service's passkeys settings: the relying party Verify's Passkeys Challenges take, and
 * the criteria a Passkeys Factor created without its own config gets (the functions send their
 * own on every factor). Set on every run, so a changed setting reaches the Service.
 */
async function setPasskeys(connection: VerifyConnection, serviceSid: string, rp: RelyingParty): Promise<void> {
  await connection.client.verify.v2.services(serviceSid).update({
    'passkeys.relyingParty.id': rp.id,
    'passkeys.relyingParty.name': rp.name,
    'passkeys.relyingParty.origins': rp.origins.join(','),
    'passkeys.authenticatorAttachment': 'any',
    'passkeys.discoverableCredentials': 'required',
    'passkeys.userVerification': 'required',
  });
}

/**
 * Returns the Verify Service with this friendly name, creating it when none exists, so
 * running set-up twice never leaves two services behind; then ensures its rate limits.
 */
export async function ensureService(
  connection: VerifyConnection,
  input: CreateServiceInput,
  rp?: RelyingParty,
): Promise<EnsureServiceResult> {
  const services = connection.client.verify.v2.services;
  try {
    const existing = (await services.list({ pageSize: 1000 })).find((s) => s.friendlyName === input.friendlyName);
    const service =
      existing ??
      (await services.create({
        friendlyName: input.friendlyName,
        codeLength: input.codeLength,
        lookupEnabled: input.lookupEnabled,
        skipSmsToLandlines: input.skipSmsToLandlines,
        doNotShareWarningEnabled: input.doNotShareWarningEnabled,
        customCodeEnabled: input.customCodeEnabled,
        dtmfInputRequired: input.dtmfInputRequired,
        ttsName: input.ttsName,
      }));
    const rateLimits = await ensureRateLimits(connection, service.sid);
    if (rp) await setPasskeys(connection, service.sid, rp);
    return {
      ok: true,
      created: !existing,
      sid: service.sid,
      friendlyName: service.friendlyName,
      codeLength: service.codeLength,
      rateLimits,
      passkeys: rp ?? null,
    };
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
