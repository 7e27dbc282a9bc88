import type { TotpRemoveInput } from '../domain/schemas/totp';
import { listFactorsOfKind, removeFactorOfKind } from './entity-factors';
import type { FlowContext } from './flow-context';

type Context = Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>;

/** The subject's authenticator apps (TOTP factors), newest first; none (or no Entity yet) is an empty list. */
export const listTotpFactors = (context: Context, { subject }: { subject: string }) =>
  listFactorsOfKind(context, 'totp', subject);

/** Removes one of the subject's authenticator apps; a passkey's SID, or another person's, is not found. */
export const removeTotpFactor = (context: Context, input: TotpRemoveInput & { subject: string }) =>
  removeFactorOfKind(context, 'totp', input);
