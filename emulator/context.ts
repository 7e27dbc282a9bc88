import type { Clock } from './clock';
import type { FaultQueue } from './faults';
import type { Store } from './store';
import type { SeedServiceOptions } from './types';

/** Configuration fixed when the emulator is created; survives `reset()`. */
export interface EmulatorConfig {
  accountSid: string;
  authToken: string;
  /** Destination → fixed code (a Map: looking up a fresh `To` string in an object costs more). */
  testNumbers: ReadonlyMap<string, string>;
  seedService: SeedServiceOptions | false;
}

/** Everything a request can read or change. One instance per emulator, shared by both ways in. */
export interface EmulatorState {
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  faults: FaultQueue;
}

/** What a /v2 route handler gets. */
export interface RouteContext {
  state: EmulatorState;
  /** Path parameters by name, e.g. `ServiceSid`. */
  params: Readonly<Record<string, string>>;
  /** Form (POST) or query (GET) parameters, PascalCase as sent. */
  form: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The path without `/v2`, as Twilio names resources in 20404 messages. */
  resourcePath: string;
}
