// Issue 22's guarantees over HTTP on the local stack: twilio-run forks a process per request, so
// nothing but the emulator's Sync is shared between the 25 requests each test sends at once.
import { stateGuarantees } from '../support/state-scenarios';
import { useHttpTarget, type Target } from '../support/state-target';

let target: Target;
useHttpTarget((ready) => (target = ready));

describe('state guarantees over HTTP (twilio-run + emulator Sync)', () => {
  stateGuarantees(() => target, { syncFaults: true });
});
