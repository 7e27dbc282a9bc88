import type { Config } from '../config';
import type { StateStore } from '../state/state-store';
import type { VerifyConnection } from '../verify/verify-client';

/**
 * What every route's flow is given: `flow(context, input)` answers a domain result, and the
 * function (functions/*.ts) turns it into the status, body and log line. A route's context
 * (src/http/define-route.ts) is one; a flow names the parts it uses with `Pick`.
 */
export interface FlowContext {
  config: Config;
  /** VERIFY_SERVICE_SID, checked. */
  serviceSid: string;
  /** Opens the Verify connection, once per request and only when a flow needs it. */
  connect(): VerifyConnection;
  /** The shared state (Twilio Sync). */
  store: StateStore;
}
