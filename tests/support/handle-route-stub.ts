/**
 * What the unit tests of the routes that take a handle (resend-verify, cancel-verify,
 * verification-status) share: one verification VE for NUMBER behind a stubbed Verify.
 */
import { invoke, type Handler } from './invoke';
import { attempts, createVerifyStub, sealedHandle, stubContext, twilioError, type VerifyStub } from './twilio-stub';

export const VE = `VE${'d'.repeat(32)}`;
export const NUMBER = '+14155552671';

/** Before each test: a fresh stub (its own store: no polls or sends remembered) and a handle for VE to NUMBER. */
export function useHandleRouteStub(onFresh: (stub: VerifyStub, handle: string) => void): void {
  beforeEach(async () => {
    onFresh(createVerifyStub(), sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER }));
  });
}

/** Helpers bound to the test's current stub (a fresh one per test). */
export function handleRouteHelpers(current: () => VerifyStub) {
  return {
    /** What a send asked Verify for, without the rate-limit values (on by default, tested elsewhere). */
    sent(i = 0) {
      const { rateLimits: _metered, ...rest } = current().calls.verificationCreate[i];
      return rest;
    },
    run: (handler: unknown, params: Record<string, unknown>, env: Record<string, string> = {}) =>
      invoke(handler as Handler, params, { context: stubContext(current(), env) }),
    /**
     * A pending verification whose sends happened `secondsAgo` before Verify's "now"; a send to
     * its number joins it, as Verify's does (the same SID, one more attempt).
     */
    pending(count: number, secondsAgo: number, channel = 'sms', now = Date.now()) {
      const stub = current();
      stub.lastHeaders = { date: new Date(now).toUTCString() };
      stub.onVerificationCreate = (p) => ({
        sid: VE,
        to: p.to,
        channel,
        status: 'pending',
        dateCreated: new Date(now - 300_000),
        sendCodeAttempts: [
          ...attempts(count, channel, now - secondsAgo * 1000),
          ...attempts(1, String(p.channel), now),
        ],
      });
      stub.onVerificationFetch = (p) =>
        String(p.sid).startsWith('VE')
          ? {
              sid: p.sid,
              to: NUMBER,
              channel,
              status: 'pending',
              dateCreated: new Date(now - 300_000),
              sendCodeAttempts: attempts(count, channel, now - secondsAgo * 1000),
            }
          : twilioError(404, 20404);
    },
  };
}
