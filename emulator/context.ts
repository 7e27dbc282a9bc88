import type { Clock } from './clock';
import type { FaultQueue } from './faults';
import type { Store } from './store';
import type { SeedServiceOptions, SeedSyncOptions } from './types';

/** Configuration fixed when the emulator is created; survives `reset()`. */
export interface EmulatorConfig {
  accountSid: string;
  authToken: string;
  /** Destination → fixed code (a Map: looking up a fresh `To` string in an object costs more). */
  testNumbers: ReadonlyMap<string, string>;
  seedService: SeedServiceOptions | false;
  seedSync: SeedSyncOptions | false;
}

/** Everything a request can read or change. One instance per emulator, shared by both ways in. */
export interface EmulatorState {
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  faults: FaultQueue;
}

/** What a /v1 (Sync) or /v2 (Verify) route handler gets. */
export interface RouteContext {
  state: EmulatorState;
  /** Path parameters by name, e.g. `ServiceSid`. */
  params: Readonly<Record<string, string>>;
  /** Form (POST) or query (GET) parameters, PascalCase as sent. */
  form: Readonly<Record<string, string>>;
  /** The body as sent: the Passkeys endpoints take JSON objects with nested members (WebAuthn's own shape). */
  body: string;
  contentType: string | undefined;
  query: URLSearchParams;
  /** The path without the version (`/v1`, `/v2`), as Twilio names resources in 20404 messages. */
  resourcePath: string;
  /** The API's absolute base, e.g. `https://verify.twilio.com/v2`: list pages link from it. */
  apiUrl: string;
  /** The If-Match request header (Sync Map Items), undefined when absent. */
  ifMatch: string | undefined;
}
