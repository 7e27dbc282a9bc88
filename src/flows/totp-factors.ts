import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { TotpRemoveInput } from '../domain/schemas/totp';
import { totpEntityIdentity } from '../security/totp-entity';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import { newestFirst } from './factor-order';
import type * as z from 'zod/mini';
import type { totpFactorsResponse } from '../contract/responses';
import type { FlowContext } from './flow-context';

export type TotpFactorSummary = z.output<ReturnType<typeof totpFactorsResponse>>['factors'][number];

const entityOf = (connection: VerifyConnection, config: Config, serviceSid: string, subject: string) =>
  verifyService(connection, serviceSid).entities(totpEntityIdentity(config, subject));

/** The subject's TOTP factors, newest first; none (or no Entity yet) is an empty list. */
export async function listTotpFactors(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  { subject }: { subject: string },
): Promise<{ ok: true; factors: TotpFactorSummary[] }> {
  const connection = connect();
  try {
    const factors = await entityOf(connection, config, serviceSid, subject).factors.list({ limit: 50 });
    return {
      ok: true,
      factors: factors
        .filter((factor) => factor.factorType === 'totp')
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

/** Removes one of the subject's factors; another subject's factor SID is simply not found. */
export async function removeTotpFactor(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  input: TotpRemoveInput & { subject: string },
): Promise<{ ok: true; removed: string }> {
  const { subject } = input;
  const connection = connect();
  try {
    await entityOf(connection, config, serviceSid, subject).factors(input.factorSid).remove();
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'factor_not_found' });
    throw error.code === 'factor_not_found'
      ? new AppError('factor_not_found', { field: 'factorSid', twilioCode: error.twilioCode })
      : error;
  }
  return { ok: true, removed: input.factorSid };
}
