import type * as z from 'zod/mini';
import type { totpFactorsResponse } from '../contract/responses';
import { AppError } from '../domain/app-error';
import type { TotpRemoveInput } from '../domain/schemas/totp';
import { totpEntityIdentity } from '../security/totp-entity';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService } from '../verify/verify-client';
import { newestFirst } from './factor-order';
import type { FlowContext } from './flow-context';

export type FactorSummary = z.output<ReturnType<typeof totpFactorsResponse>>['factors'][number];
/** Verify's factor types under one Entity: authenticator apps and passkeys. */
export type FactorKind = 'totp' | 'passkeys';
type EntityContext = Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>;

const entityOf = ({ config, serviceSid, connect }: EntityContext, subject: string) =>
  verifyService(connect(), serviceSid).entities(totpEntityIdentity(config, subject));

/** The subject's factors of one kind, newest first; none (or no Entity yet) is an empty list. */
export async function listFactorsOfKind(
  context: EntityContext,
  kind: FactorKind,
  subject: string,
): Promise<{ ok: true; factors: FactorSummary[] }> {
  try {
    const factors = await entityOf(context, subject).factors.list({ limit: 50 });
    return {
      ok: true,
      factors: factors
        // The SDK's type union predates `passkeys`; Verify sends it as the factor type.
        .filter((factor) => (factor.factorType as string) === kind)
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

/**
 * Removes one of the subject's factors of this kind. Another kind's SID (a passkey through the
 * authenticator-app route, or the other way round) and another person's are both not found.
 */
export async function removeFactorOfKind(
  context: EntityContext,
  kind: FactorKind,
  input: TotpRemoveInput & { subject: string },
): Promise<{ ok: true; removed: string }> {
  const factor = entityOf(context, input.subject).factors(input.factorSid);
  try {
    if (((await factor.fetch()).factorType as string) !== kind)
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
