// /verification-status and the immediate channel switch over HTTP against the local stack
// (twilio-run serving the built functions + the emulator and its delivery switch).
import { useStack, type Stack } from '../support/stack';

const TO = '+14155550199';
let stack: Stack;

useStack((started) => (stack = started), { env: { CHANNEL_FALLBACK: 'sms,call,email' } });

interface Answer {
  status: number;
  body: Record<string, any>;
}

async function post(path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const dev = (path: string, body: unknown) =>
  fetch(`${stack.emulatorUrl}/emulator/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function channelsSent(to: string): Promise<string[]> {
  const res = await fetch(`${stack.emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: Array<{ channel: string }> }).messages.map((m) => m.channel);
}

describe('delivery state and the immediate switch over HTTP', () => {
  it('a delivered SMS reads as delivered; the call waits for the cooldown', async () => {
    const started = await post('/start-verify', { to: TO });
    expect(started.status).toBe(200);
    const status = await post('/verification-status', { verification: started.body.verification });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      delivery: 'delivered',
      attempts: [{ channel: 'sms', delivery: 'delivered' }],
      nextChannel: 'call',
    });
    expect(status.body.nextChannelRetryAfter).toBeGreaterThan(0);
    const early = await post('/resend-verify', { verification: started.body.verification, channel: 'call' });
    expect(early.status).toBe(429);
    expect(early.body.error.code).toBe('resend_too_soon');
    expect(await channelsSent(TO)).toEqual(['sms']);
  });

  it('an undelivered SMS offers a call at once, and the call goes out at once; another SMS still waits', async () => {
    expect((await dev('delivery', { channel: 'sms', outcome: 'undelivered' })).status).toBe(200);
    const started = await post('/start-verify', { to: TO });
    const status = await post('/verification-status', { verification: started.body.verification });
    expect(status.body).toMatchObject({ delivery: 'undelivered', nextChannel: 'call', nextChannelRetryAfter: 0 });
    expect(status.body.retryAfter).toBeGreaterThan(0);
    expect(JSON.stringify(status.body)).not.toContain('4155550199');

    const sms = await post('/resend-verify', { verification: started.body.verification, channel: 'sms' });
    expect(sms.status).toBe(429);
    const call = await post('/resend-verify', { verification: started.body.verification, channel: 'call' });
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ channel: 'call', sendCodeAttempts: 2 });
    expect(await channelsSent(TO)).toEqual(['sms', 'call']);

    // The call was delivered: its handle's status says so and no further switch is early.
    const after = await post('/verification-status', { verification: call.body.verification });
    expect(after.body.attempts.map((a: { channel: string; delivery: string }) => `${a.channel}:${a.delivery}`)).toEqual(
      ['sms:undelivered', 'call:completed'],
    );
    expect(after.body.delivery).toBe('completed');
  });

  it('after an SMS and then a call that did not arrive, with no email to go on to: status names no next channel, and an SMS goes at once', async () => {
    const to = '+14155550198';
    await dev('delivery', { channel: 'sms', outcome: 'undelivered' });
    // The switch takes delivered or undelivered; a call that was not answered reads as no-answer.
    expect((await dev('delivery', { channel: 'call', outcome: 'undelivered' })).status).toBe(200);
    const started = await post('/start-verify', { to });
    const call = await post('/resend-verify', { verification: started.body.verification });
    expect([call.status, call.body.channel]).toEqual([200, 'call']);
    // The caller carries the handle each send answers with.
    const { verification } = call.body;
    const status = await post('/verification-status', { verification });
    expect(status.body).toMatchObject({ delivery: 'no-answer' });
    expect(status.body.retryAfter).toBeGreaterThan(0);
    expect(status.body).not.toHaveProperty('nextChannel');
    expect(status.body).not.toHaveProperty('nextChannelRetryAfter');
    const sms = await post('/resend-verify', { verification, channel: 'sms' });
    expect([sms.status, sms.body.channel]).toEqual([200, 'sms']);
    expect(await channelsSent(to)).toEqual(['sms', 'call', 'sms']);
  });

  it("a second caller does not see, nor profit from, the first caller's failed send", async () => {
    await dev('delivery', { channel: 'sms', outcome: 'undelivered' });
    const first = await post('/start-verify', { to: TO });
    await dev('clock', { advanceSeconds: 31 });
    await dev('delivery', { channel: 'sms', outcome: 'delivered' });
    const second = await post('/start-verify', { to: TO });
    expect(second.status).toBe(200);
    const seen = await post('/verification-status', { verification: second.body.verification });
    expect(seen.body.attempts).toEqual([expect.objectContaining({ channel: 'sms', delivery: 'delivered' })]);
    // The second start replaced the first caller's code: its handle switches to nothing.
    const early = await post('/resend-verify', { verification: first.body.verification, channel: 'call' });
    expect([early.status, early.body.error?.code]).toEqual([404, 'verification_not_found']);
    // And the second caller's own switch waits: its send arrived.
    const own = await post('/resend-verify', { verification: second.body.verification, channel: 'call' });
    expect([own.status, own.body.error?.code]).toEqual([429, 'resend_too_soon']);
  });
});
