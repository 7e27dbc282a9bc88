import type { CreateServiceInput } from '../domain/schemas';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';

export interface EnsureServiceResult {
  ok: true;
  created: boolean;
  sid: string;
  friendlyName: string;
  codeLength: number;
}

/**
 * Returns the Verify Service with this friendly name, creating it when none exists, so
 * running set-up twice never leaves two services behind.
 */
export async function ensureService(connection: VerifyConnection, input: CreateServiceInput): Promise<EnsureServiceResult> {
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
    return { ok: true, created: !existing, sid: service.sid, friendlyName: service.friendlyName, codeLength: service.codeLength };
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
