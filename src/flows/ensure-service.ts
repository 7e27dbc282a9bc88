import type { CreateServiceInput } from '../domain/schemas/create-service';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';
import { ensureRateLimits } from './ensure-rate-limits';
import type * as z from 'zod/mini';
import type { createServiceResponse } from '../contract/responses';

/** What /create-service answers, but the Sync part (ensure-sync.ts). */
export type EnsureServiceResult = Omit<z.output<ReturnType<typeof createServiceResponse>>, 'sync'>;

/**
 * Returns the Verify Service with this friendly name, creating it when none exists, so
 * running set-up twice never leaves two services behind; then ensures its rate limits.
 */
export async function ensureService(
  connection: VerifyConnection,
  input: CreateServiceInput,
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
    return {
      ok: true,
      created: !existing,
      sid: service.sid,
      friendlyName: service.friendlyName,
      codeLength: service.codeLength,
      rateLimits,
    };
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
