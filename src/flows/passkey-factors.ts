import type { TotpRemoveInput } from '../domain/schemas/totp';
import { listFactorsOfKind, removeFactorOfKind } from './entity-factors';
import type { FlowContext } from './flow-context';

type Context = Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>;

/** The subject's passkeys (Verify lists them with the Entity's other factors), newest first. */
export const listPasskeys = (context: Context, { subject }: { subject: string }) =>
  listFactorsOfKind(context, 'passkeys', subject);

/** Removes one of the subject's passkeys; an authenticator app's SID, or another person's, is not found. */
export const removePasskey = (context: Context, input: TotpRemoveInput & { subject: string }) =>
  removeFactorOfKind(context, 'passkeys', input);
