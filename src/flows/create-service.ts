import type * as z from 'zod/mini';
import type { createServiceResponse } from '../contract/responses';
import type { RelyingParty } from '../domain/relying-party';
import type { CreateServiceInput } from '../domain/schemas/create-service';
import { ensureService } from './ensure-service';
import { ensureSync } from './ensure-sync';
import type { FlowContext } from './flow-context';

/** What /create-service answers: `created` says whether the Verify Service is new. */
export type CreateServiceResult = z.output<ReturnType<typeof createServiceResponse>>;

/**
 * Finds or creates the Verify Service (and its rate limits) named `friendlyName`, then the Sync
 * Service and Map the shared state lives in; both idempotent, so set-up can run again. With a
 * `relyingParty`, the Service's passkeys settings are set to it.
 */
export async function createService(
  { config, connect }: Pick<FlowContext, 'config' | 'connect'>,
  input: CreateServiceInput & { relyingParty?: RelyingParty },
): Promise<CreateServiceResult> {
  const { relyingParty, ...settings } = input;
  const service = await ensureService(connect(), settings, relyingParty);
  const sync = await ensureSync(connect(), config, input.friendlyName);
  return { ...service, sync };
}
