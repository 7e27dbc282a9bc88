// POST /verification-status with a stubbed Verify: status, this caller's sends with their delivery, the schedule and the poll limit.
import { handler as statusHandler } from '../../functions/verification-status';
import { attempts, attemptsPage, sealedHandle, twilioError, type VerifyStub } from '../support/twilio-stub';
import { handleRouteHelpers, NUMBER, useHandleRouteStub, VE } from '../support/handle-route-stub';
import { STATUS_POLLS_PER_MINUTE } from '../../src/flows/status-poll-limit';

let stub: VerifyStub;
let H: string;
useHandleRouteStub((fresh, handle) => {
  stub = fresh;
  H = handle;
});
const { run, pending } = handleRouteHelpers(() => stub);
describe('verification-status', () => {
  it('lists attempts (channel, time) and the resend schedule, masking the number', async () => {
    pending(2, 10, 'sms');
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      status: 'pending',
      to: '+1******2671',
      retryAfter: 30,
      nextChannel: 'call',
    });
    expect(res.body.sid).toBeUndefined();
    expect(res.body.attempts).toEqual([
      { channel: 'sms', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), delivery: 'unknown' },
      { channel: 'sms', time: expect.any(String), delivery: 'unknown' },
    ]);
    expect(JSON.stringify(res.body) + res.logs.join('')).not.toContain('4155552671');
  });

  it("shows a later caller only its own sends (the handle's attempt offset)", async () => {
    pending(3, 10, 'sms');
    const res = await run(statusHandler, {
      verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 2 }),
    });
    expect(res.body.attempts).toHaveLength(1);
  });

  it("shows the first caller none of the sends made after its handle (their times and channels are someone else's)", async () => {
    pending(3, 10, 'call');
    const res = await run(statusHandler, {
      verification: sealedHandle({ verificationSid: VE, to: NUMBER, attemptOffset: 0, knownAttempts: 1 }),
    });
    expect(res.body.attempts).toHaveLength(1);
    // The destination-wide schedule still counts every send: 3 sends, so the third cooldown (60 s).
    expect(res.body.retryAfter).toBe(50);
  });

  /** Verify's Attempts API reports these statuses for the pending verification's sends, in order. */
  function delivered(statuses: string[], count = statuses.length, channel = 'sms', secondsAgo = 10) {
    const now = Date.now();
    pending(count, secondsAgo, channel, now);
    const sends = attempts(count, channel, now - secondsAgo * 1000);
    stub.onRequest = (uri) =>
      new URL(uri).searchParams.get('VerificationSid') === VE
        ? attemptsPage(VE, sends, statuses)
        : { attempts: [], meta: {} };
  }

  it.each([
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
  ])('an SMS whose message status is %s reads as %s', async (status, state) => {
    delivered([status]);
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toBe(state);
    expect(res.body.attempts).toEqual([expect.objectContaining({ channel: 'sms', delivery: state })]);
    // The Attempts API was asked for this verification only.
    expect(stub.requests).toHaveLength(1);
    expect(new URL(stub.requests[0]).searchParams.get('VerificationSid')).toBe(VE);
  });

  it.each([
    ['completed', 'completed'],
    ['no-answer', 'no-answer'],
    ['busy', 'busy'],
    ['failed', 'failed'],
    ['ringing', 'calling'],
  ])('a call whose status is %s reads as %s', async (status, state) => {
    delivered([status], 1, 'call');
    const res = await run(statusHandler, { verification: H });
    expect(res.body.attempts).toEqual([expect.objectContaining({ channel: 'call', delivery: state })]);
  });

  it('an undelivered SMS offers a call at once, while another SMS keeps its cooldown', async () => {
    delivered(['undelivered']);
    const res = await run(statusHandler, { verification: H });
    expect(res.body).toMatchObject({
      delivery: 'undelivered',
      retryAfter: 20,
      nextChannel: 'call',
      nextChannelRetryAfter: 0,
    });
  });

  it('a delivered SMS offers the call only after the cooldown', async () => {
    delivered(['delivered']);
    const res = await run(statusHandler, { verification: H });
    expect(res.body).toMatchObject({
      delivery: 'delivered',
      retryAfter: 20,
      nextChannel: 'call',
      nextChannelRetryAfter: 20,
    });
  });

  it('a failed send of another caller does not count for this one', async () => {
    delivered(['delivered', 'undelivered'], 2);
    const res = await run(statusHandler, {
      verification: sealedHandle({ verificationSid: VE, to: NUMBER, phone: NUMBER, attemptOffset: 2 }),
    });
    expect(res.body.attempts).toEqual([]);
    expect(res.body.nextChannelRetryAfter).not.toBe(0);
    const first = await run(statusHandler, {
      verification: sealedHandle({
        verificationSid: VE,
        to: NUMBER,
        phone: NUMBER,
        attemptOffset: 0,
        knownAttempts: 1,
      }),
    });
    expect((first.body.attempts as Array<{ delivery: string }>).map((a) => a.delivery)).toEqual(['delivered']);
    expect(first.body.nextChannelRetryAfter).not.toBe(0);
  });

  it('an Attempts API error is a JSON error, not a 500', async () => {
    pending(1, 10);
    stub.onRequest = () => twilioError(503, 20503);
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(502);
    expect(res.body.error?.code).toBe('verify_unavailable');
  });

  it(`polling one verification more than ${STATUS_POLLS_PER_MINUTE} times a minute is 429 rate_limited before Verify is asked`, async () => {
    delivered(['sent']);
    for (let i = 0; i < STATUS_POLLS_PER_MINUTE; i += 1)
      expect((await run(statusHandler, { verification: H })).status).toBe(200);
    const asked = stub.requests.length;
    const res = await run(statusHandler, { verification: H });
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) });
    expect(res.body.error?.retryAfter).toBeGreaterThan(0);
    expect(res.body.error?.retryAfter).toBeLessThanOrEqual(60);
    expect(stub.requests).toHaveLength(asked);
    // Another verification is not held back.
    const other = sealedHandle({ verificationSid: `VE${'f'.repeat(32)}`, to: NUMBER, phone: NUMBER });
    expect((await run(statusHandler, { verification: other })).status).toBe(200);
  });
});
