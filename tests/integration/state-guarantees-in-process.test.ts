// The same guarantees with the store's adapter swapped for the in-memory one: the handlers in
// this process, 25 at once, sharing one memory store (tests/support/state-scenarios.ts).
import { stateGuarantees } from '../support/state-scenarios';
import { useInProcessTarget, type Target } from '../support/state-target';

let target: Target;
useInProcessTarget((ready) => (target = ready));

describe('state guarantees in process (in-memory store)', () => {
  stateGuarantees(() => target);
});
