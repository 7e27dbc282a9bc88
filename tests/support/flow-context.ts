import type { Config } from '../../src/config';
import type { FlowContext } from '../../src/flows/flow-context';
import { createMemoryStore } from '../../src/state/memory-store';
import type { StateStore } from '../../src/state/state-store';
import type { VerifyConnection } from '../../src/verify/verify-client';

/** A flow's context as a route would give it: this connection, settings, service and store (a fresh in-memory one by default). */
export function flowContext(
  connection: VerifyConnection,
  config: Config,
  serviceSid: string,
  store: StateStore = createMemoryStore(),
): FlowContext {
  return { config, serviceSid, connect: () => connection, store };
}
