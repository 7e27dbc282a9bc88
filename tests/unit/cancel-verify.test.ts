// POST /cancel-verify with a stubbed Verify: cancels only a caller's own code, idempotently.
import { handler as cancelHandler } from '../../functions/cancel-verify';
import { sealedHandle, twilioError, type VerifyStub } from '../support/twilio-stub';
import { handleRouteHelpers, NUMBER, useHandleRouteStub, VE } from '../support/handle-route-stub';

let stub: VerifyStub;
let H: string;
useHandleRouteStub((fresh, handle) => {
  stub = fresh;
  H = handle;
});
const { run, pending } = handleRouteHelpers(() => stub);
describe('cancel-verify', () => {
  it("cancels the handle's verification", async () => {
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: VE, status: 'canceled' }]);
  });

  it('no longer cancels by number: anyone knows a number, only the starter holds the handle', async () => {
    const res = await run(cancelHandler, { to: '(415) 555-2671', country: 'US' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'to' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('is idempotent: already gone answers canceled too', async () => {
    stub.onVerificationUpdate = () => twilioError(404, 20404);
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
  });

  it("a caller who joined a pending verification cannot cancel it: the first person's code keeps working", async () => {
    pending(2, 10);
    const joined = sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 1, knownAttempts: 2 });
    const res = await run(cancelHandler, { verification: joined });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 'pending' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('the first caller cannot cancel once someone else has sent to the same destination', async () => {
    pending(2, 10);
    const first = sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 1 });
    const res = await run(cancelHandler, { verification: first });
    expect(res.body).toEqual({ ok: true, status: 'pending' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('the only sender cancels, however many codes it asked for', async () => {
    pending(3, 10);
    const res = await run(cancelHandler, {
      verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 3 }),
    });
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toEqual([{ sid: VE, status: 'canceled' }]);
  });

  it('already gone when fetched also answers canceled', async () => {
    stub.onVerificationFetch = () => twilioError(404, 20404);
    const res = await run(cancelHandler, { verification: H });
    expect(res.body).toEqual({ ok: true, status: 'canceled' });
    expect(stub.calls.verificationUpdate).toHaveLength(0);
  });

  it('other Verify errors still surface', async () => {
    stub.onVerificationUpdate = () => twilioError(503, 20503);
    const res = await run(cancelHandler, { verification: H });
    expect(res.status).toBe(502);
  });
});
