import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { TotpRemoveInput } from '../domain/schemas/totp';
import { totpEntityIdentity } from '../security/totp-entity';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import { newestFirst } from './factor-order';
import type { TotpFactorSummary } from './totp-factors';

const entityOf = (connection: VerifyConnection, config: Config, serviceSid: string, subject: string) =>
  verifyService(connection, serviceSid).entities(totpEntityIdentity(config, subject));

/** The subject's passkeys (Verify lists them with the Entity's other factors), newest first. */
export async function listPasskeys(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  { subject }: { subject: string },
): Promise<{ ok: true; factors: TotpFactorSummary[] }> {
  try {
    const factors = await entityOf(connect(), config, serviceSid, subject).factors.list({ limit: 50 });
    return {
      ok: true,
      factors: factors
        .filter((factor) => (factor.factorType as string) === 'passkeys')
        .sort(newestFirst)
        .map((factor) => ({
          factorSid: factor.sid,
          friendlyName: factor.friendlyName,
          status: factor.status,
          dateCreated: factor.dateCreated.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        })),
    };
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'factor_not_found' });
    if (error.code === 'factor_not_found') return { ok: true, factors: [] };
    throw error;
  }
}

/** Removes one of the subject's passkeys; an authenticator app's SID, or another person's, is not found. */
export async function removePasskey(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  input: TotpRemoveInput & { subject: string },
): Promise<{ ok: true; removed: string }> {
  const factor = entityOf(connect(), config, serviceSid, input.subject).factors(input.factorSid);
  try {
    if (((await factor.fetch()).factorType as string) !== 'passkeys')
      throw new AppError('factor_not_found', { field: 'factorSid' });
    await factor.remove();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const error = mapVerifyError(err, { notFound: 'factor_not_found' });
    throw error.code === 'factor_not_found'
      ? new AppError('factor_not_found', { field: 'factorSid', twilioCode: error.twilioCode })
      : error;
  }
  return { ok: true, removed: input.factorSid };
}
