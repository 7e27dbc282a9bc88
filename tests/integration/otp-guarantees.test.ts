// Seven attacks on the OTP guarantees (SECURITY.md), replayed over HTTP against the local stack (twilio-run serving the
// built functions + the emulator), each shown to fail. One test per item of the issue.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { useStack, type Stack } from '../support/stack';

const TO = '+14155552671';
let stack: Stack;

useStack((started) => (stack = started));

interface Answer {
  status: number;
  body: Record<string, any>;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function messages(to: string): Promise<Array<{ code: string; verificationSid: string; channel: string }>> {
  const res = await fetch(`${stack.emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: Array<{ code: string; verificationSid: string; channel: string }> })
    .messages;
}

const advance = (seconds: number) =>
  fetch(`${stack.emulatorUrl}/emulator/v1/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });

const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

describe('attacks on the OTP guarantees, over HTTP', () => {
  it('a start replaces a pending code instead of sharing it: the earlier handle is dead, the later one works', async () => {
    const victim = await post('/start-verify', { to: TO });
    await advance(31);
    const stranger = await post('/start-verify', { to: TO });
    expect(stranger.status).toBe(200);
    expect(stranger.body.expiresIn).toBe(600);
    const code = (await messages(TO)).at(-1)!.code;
    expect((await post('/check-verify', { code, verification: victim.body.verification })).status).toBe(404);
    // The earlier handle cancels nothing that is still someone's: its verification is gone already.
    expect((await post('/cancel-verify', { verification: victim.body.verification })).body).toEqual({
      ok: true,
      status: 'canceled',
    });
    expect((await post('/check-verify', { code, verification: stranger.body.verification })).status).toBe(200);

    // Alone, a caller still cancels ("change number"): its code stops working.
    const alone = '+14155552672';
    const mine = await post('/start-verify', { to: alone });
    expect((await post('/cancel-verify', { verification: mine.body.verification })).body).toEqual({
      ok: true,
      status: 'canceled',
    });
    expect(
      (
        await post('/check-verify', {
          code: (await messages(alone)).at(-1)!.code,
          verification: mine.body.verification,
        })
      ).status,
    ).toBe(404);
  }, 120000);

  it('a fallback phone is held to the destination policy at start; `to` beside a handle is refused', async () => {
    for (const phone of ['+447400123456', '+19005550123']) {
      const res = await post('/start-verify', { to: TO, phone });
      expect([phone, res.status, res.body.error?.code, res.body.error?.field]).toEqual([
        phone,
        403,
        'destination_blocked',
        'phone',
      ]);
    }
    expect(await messages(TO)).toHaveLength(0);
    const started = await post('/start-verify', { to: TO });
    const code = (await messages(TO)).at(-1)!.code;
    const both = await post('/check-verify', { code, verification: started.body.verification, to: '+14155550100' });
    expect([both.status, both.body.error?.code, both.body.error?.field]).toEqual([400, 'invalid_request', 'to']);
  }, 60000);

  it('1. guessing is bounded per destination: cancel + start again, waiting out every cooldown, stops at the rate limit', async () => {
    // Cancelling by number is gone: only the handle's holder can cancel.
    expect((await post('/cancel-verify', { to: TO })).body.error).toMatchObject({
      code: 'invalid_request',
      field: 'to',
    });

    let wrongCodes = 0;
    let refused: Answer | undefined;
    for (let round = 0; round < 40 && !refused; round++) {
      const started = await post('/start-verify', { to: TO });
      if (started.status !== 200) {
        // The cooldown and the cap per 10 minutes outlive the cancel: a patient attacker waits as told.
        if (['resend_too_soon', 'max_send_attempts'].includes(started.body.error.code)) {
          await advance(started.body.error.retryAfter);
          continue;
        }
        refused = started;
        break;
      }
      // The attack: 4 wrong codes (the 5th would lock the number), cancel, start over.
      const code = (await messages(TO)).at(-1)!.code;
      for (let i = 0; i < 4; i++) {
        expect(
          (await post('/check-verify', { code: wrongFor(code), verification: started.body.verification })).status,
        ).toBe(401);
        wrongCodes++;
      }
      expect((await post('/cancel-verify', { verification: started.body.verification })).body).toEqual({
        ok: true,
        status: 'canceled',
      });
    }
    // 10 sends an hour per destination: the 11th start is refused by Verify's rate limit.
    expect(refused?.status).toBe(429);
    expect(refused?.body.error).toMatchObject({
      code: 'rate_limited',
      twilioCode: 20429,
      retryAfter: expect.any(Number),
    });
    expect((await messages(TO)).length).toBe(10);
    expect(wrongCodes).toBe(40); // 10 verifications × 4; with the 5th try each, 50 at most
  }, 120000);

  it('2. one send schedule per destination: start again and the email fallback wait for the cooldown', async () => {
    const first = await post('/start-verify', { to: TO, email: 'jane@example.com' });
    expect(first.status).toBe(200);
    const again = await post('/start-verify', { to: TO });
    expect(again.status).toBe(429);
    expect(again.body.error).toMatchObject({ code: 'resend_too_soon' });
    // 30 s after the first send, less the real seconds the emulator's clock ran meanwhile.
    expect(again.body.error.retryAfter).toBeGreaterThanOrEqual(20);
    expect(again.body.error.retryAfter).toBeLessThanOrEqual(30);

    await advance(30);
    expect((await post('/resend-verify', { verification: first.body.verification })).body).toMatchObject({
      ok: true,
      channel: 'call',
    });
    await advance(40);
    const byEmail = await post('/resend-verify', { verification: first.body.verification });
    expect(byEmail.body).toMatchObject({ ok: true, channel: 'email', to: 'j***@example.com' });
    await advance(60);
    // The old handle's own schedule allows another send now, but the address's does not
    // (1 email sent 60 s ago → fine; then nothing more for 40 s).
    expect((await post('/resend-verify', { verification: first.body.verification, channel: 'email' })).status).toBe(
      200,
    );
    const burst = await Promise.all(
      [1, 2, 3].map(() => post('/resend-verify', { verification: first.body.verification, channel: 'email' })),
    );
    expect(burst.map((r) => r.body.error?.code)).toEqual(['resend_too_soon', 'resend_too_soon', 'resend_too_soon']);
    expect(await messages('jane@example.com')).toHaveLength(2);
    expect(await messages(TO)).toHaveLength(2);
  }, 120000);

  it("3. a second caller gets neither the first caller's verification nor its history", async () => {
    const victim = await post('/start-verify', { to: TO });
    await advance(30);
    const attacker = await post('/start-verify', { to: TO });
    expect(attacker.status).toBe(200);
    const sids = (await messages(TO)).map((m) => m.verificationSid);
    expect(sids[1]).not.toBe(sids[0]);
    for (const answer of [victim, attacker]) {
      expect(answer.body.sid).toBeUndefined();
      for (const sid of sids) expect(JSON.stringify(answer.body)).not.toContain(sid);
      expect(JSON.stringify(answer.body)).not.toContain('4155552671');
    }
    // Its own code and window: nothing in the answer depends on when the victim asked.
    expect(attacker.body).toMatchObject({ sendCodeAttempts: 1, expiresIn: 600 });
    const seenByAttacker = await post('/verification-status', { verification: attacker.body.verification });
    expect(seenByAttacker.body.attempts).toHaveLength(1);
    // The victim's handle no longer reaches anything: not the attacker's sends either.
    expect((await post('/verification-status', { verification: victim.body.verification })).status).toBe(404);
    // The destination's schedule counts both sends: the next wait is the one after a second send (40 s).
    const again = await post('/resend-verify', { verification: attacker.body.verification });
    expect(again.body.error).toMatchObject({ code: 'resend_too_soon' });
    expect(again.body.error.retryAfter).toBeGreaterThan(15);
    expect(again.body.error.retryAfter).toBeLessThanOrEqual(40);
    // A Verify SID is not a handle.
    expect((await post('/verification-status', { verification: sids[0] })).body.error).toMatchObject({
      code: 'invalid_verification',
      field: 'verification',
    });
  }, 120000);

  it('4. the 5th wrong code is an honest lockout: 429 with the wait, everywhere, until the window ends', async () => {
    const started = await post('/start-verify', { to: TO });
    const code = (await messages(TO)).at(-1)!.code;
    await advance(100);
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++)
      answers.push(await post('/check-verify', { code: wrongFor(code), verification: started.body.verification }));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 429]);
    const locked = answers[4].body.error;
    // The 5th wrong code says 60202 as the 6th does, and only check-verify (which takes it) names `code`.
    expect(locked).toMatchObject({
      code: 'max_check_attempts',
      field: 'code',
      twilioCode: 60202,
      retryAfter: expect.any(Number),
    });
    // 600 s window − 100 s advanced − the real seconds this test has taken (the emulator's clock runs too).
    const near = (seconds: number) => seconds <= 500 && seconds >= 480;
    expect(near(locked.retryAfter)).toBe(true);

    for (const [path, body] of [
      ['/verification-status', { verification: started.body.verification }],
      ['/resend-verify', { verification: started.body.verification }],
      ['/check-verify', { code, verification: started.body.verification }],
    ] as const) {
      const during = await post(path, body);
      expect([path, during.status, during.body.error?.code, during.body.error?.field]).toEqual([
        path,
        429,
        'max_check_attempts',
        path === '/check-verify' ? 'code' : undefined,
      ]);
      expect(near(during.body.error.retryAfter)).toBe(true);
    }
    const restart = await post('/start-verify', { to: TO });
    expect(restart.status).toBe(429);
    expect(restart.body.error).toMatchObject({ code: 'max_check_attempts', retryAfter: expect.any(Number) });
    expect(restart.body.error.field).toBeUndefined();
    expect(await messages(TO)).toHaveLength(1);

    await advance(501);
    expect((await post('/start-verify', { to: TO })).status).toBe(200);
  }, 120000);

  it('5. `__proto__` in a JSON body is refused, and cannot hide bulk from the size guard', async () => {
    const smuggled = await post('/start-verify', `{"__proto__":{"to":"${TO}"}}`);
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error).toMatchObject({
      code: 'invalid_request',
      field: '__proto__',
      message: '`__proto__` is not a parameter this endpoint accepts.',
    });
    const bulk = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, 'x'.repeat(200)]));
    const stuffed = await post('/start-verify', `{"to":"${TO}","__proto__":${JSON.stringify(bulk)}}`);
    expect(stuffed.status).toBe(400);
    expect(stuffed.body.error).toMatchObject({
      code: 'invalid_request',
      field: 'body',
      message: expect.stringMatching(/too large/),
    });
    expect(await messages(TO)).toHaveLength(0);
  }, 60000);

  it('6. spellings of one mailbox are one destination: one code, one schedule, masks without lengths', async () => {
    const spellings = [
      'jane.doe@example.com',
      'Jane.Doe@example.com',
      'JANE.DOE@EXAMPLE.COM',
      ' jane.doe@example.com',
      'jane.doe@Example.com',
      'jAne.doe@example.com',
      'jane.doe@example.COM ',
    ];
    const answers: Answer[] = [];
    for (const to of spellings) answers.push(await post('/start-verify', { to, channel: 'email' }));
    expect(answers[0].body).toMatchObject({ ok: true, to: 'j***@example.com' });
    expect(answers.slice(1).map((a) => a.body.error?.code)).toEqual(Array(6).fill('resend_too_soon'));
    expect(await messages('jane.doe@example.com')).toHaveLength(1);
    const other = await post('/start-verify', { to: 'j@example.com', channel: 'email' });
    expect(other.body.to).toBe('j***@example.com');
  }, 120000);

  it('7. runtime data in the query string: a GET cannot send a code, the admin token is not taken from a URL', async () => {
    // `?request[headers][content-type]=x` replaces the runtime's request data (SECURITY.md, "What a function can know about its request").
    // Locally the front refuses the GET before the function runs (the function's own check of
    // the request's shape is covered in tests/unit/request.test.ts); a POST carrying the same
    // query is refused as a `request` parameter.
    const spoofed = await fetch(
      `${stack.baseUrl}/start-verify?to=${encodeURIComponent(TO)}&request[headers][content-type]=x`,
    );
    expect(spoofed.status).toBe(405);
    expect(await spoofed.json()).toMatchObject({ ok: false, error: { code: 'method_not_allowed' } });
    const spoofedPost = await fetch(
      `${stack.baseUrl}/start-verify?to=${encodeURIComponent(TO)}&request[headers][origin]=x`,
      { method: 'POST' },
    );
    expect(spoofedPost.status).toBe(400);
    expect(await spoofedPost.json()).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'request' } });
    const plainGet = await fetch(`${stack.baseUrl}/start-verify?to=${encodeURIComponent(TO)}`);
    expect(plainGet.status).toBe(405);
    const tokenInUrl = await fetch(
      `${stack.baseUrl}/create-service?friendlyName=Url&request[headers][authorization]=${encodeURIComponent(`Bearer ${stack.adminToken}`)}&request[headers][content-type]=application/json`,
      { method: 'POST' },
    );
    expect(tokenInUrl.status).toBe(400);
    expect(await tokenInUrl.json()).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'request' } });
    // A `request[...]` key in a form body stays a flat, unknown parameter.
    const form = await fetch(`${stack.baseUrl}/start-verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `to=${encodeURIComponent(TO)}&request%5Bheaders%5D%5Borigin%5D=x`,
    });
    expect(form.status).toBe(400);
    expect(await messages(TO)).toHaveLength(0);
  }, 60000);
});
