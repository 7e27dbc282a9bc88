/**
 * The guarantees that need state shared by every instance (issue 22), each replayed with 25
 * requests at once. Written once against a Target (tests/support/state-target.ts) and run over
 * HTTP on the local stack and in process with the in-memory store.
 */
import { codeFromUri } from './otpauth';
import type { Reply, Target } from './state-target';

const N = 25;
const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const statuses = (replies: Reply[]) => replies.map((r) => r.status).sort((a, b) => a - b);
const codes = (replies: Reply[]) => [...new Set(replies.filter((r) => r.status !== 200).map((r) => r.body.error?.code))].sort();

/** Every refusal says when to come back, the same in the body and the header. */
function expectWaits(replies: Reply[]): void {
  for (const reply of replies.filter((r) => r.status === 429)) {
    expect(reply.body.error.retryAfter).toBeGreaterThan(0);
    expect(Number(reply.headers['retry-after'])).toBe(reply.body.error.retryAfter);
  }
}

export function stateGuarantees(target: () => Target): void {
  const t = () => target();
  const messages = async (to: string): Promise<Array<{ code: string; channel: string }>> =>
    (await t().dev(`/emulator/v1/messages?to=${encodeURIComponent(to)}`)).messages;
  const advance = (seconds: number) => t().dev('/emulator/v1/clock', { advanceSeconds: seconds });
  const emulatorSeconds = async () => Math.floor(Date.parse(String((await t().dev('/emulator/v1/clock')).now)) / 1000);
  const start = async (to: string) => {
    const started = await t().post('/start-verify', { to });
    expect(started.status).toBe(200);
    return started.body.verification as string;
  };
  const proofToken = async (to: string) => {
    const verification = await start(to);
    const checked = await t().post('/check-verify', { verification, code: (await messages(to)).at(-1)!.code });
    expect(checked.status).toBe(200);
    return checked.body.token as string;
  };
  const enrolment = async (to: string) => {
    const enrolled = await t().post('/totp-enroll', {}, await proofToken(to));
    expect(enrolled.status).toBe(200);
    return enrolled.body as { handle: string; uri: string };
  };
  const withApp = async (to: string) => {
    const { handle, uri } = await enrolment(to);
    expect((await t().post('/totp-confirm', { handle, code: await codeFromUri(uri, await emulatorSeconds()) })).status).toBe(200);
    return uri;
  };

  it('1. 25 starts at once to a new number: one code goes out, 24 wait for the cooldown', async () => {
    const to = '+14155550101';
    const replies = await parallel(N, () => t().post('/start-verify', { to }));
    expect(statuses(replies)).toEqual([200, ...Array(N - 1).fill(429)]);
    expect(codes(replies)).toEqual(['resend_too_soon']);
    expectWaits(replies);
    expect(await messages(to)).toHaveLength(1);
  }, 120000);

  it('2. 25 resends at once after the cooldown: one code per cooldown', async () => {
    const to = '+14155550102';
    const verification = await start(to);
    await advance(31);
    const replies = await parallel(N, () => t().post('/resend-verify', { verification }));
    expect(statuses(replies)).toEqual([200, ...Array(N - 1).fill(429)]);
    expect(codes(replies)).toEqual(['resend_too_soon']);
    expectWaits(replies);
    expect(await messages(to)).toHaveLength(2);
  }, 120000);

  it('3. one undelivered SMS, then 25 switches to a call at once: one early call', async () => {
    const to = '+14155550103';
    await t().dev('/emulator/v1/delivery', { channel: 'sms', outcome: 'undelivered' });
    const verification = await start(to);
    const replies = await parallel(N, () => t().post('/resend-verify', { verification, channel: 'call' }));
    expect(statuses(replies)).toEqual([200, ...Array(N - 1).fill(429)]);
    expect(codes(replies)).toEqual(['resend_too_soon']);
    expect((await messages(to)).map((m) => m.channel)).toEqual(['sms', 'call']);
  }, 120000);

  it('4. cancel, then 25 starts at once: the cooldown outlives the cancel', async () => {
    const to = '+14155550104';
    const verification = await start(to);
    expect((await t().post('/cancel-verify', { verification })).body).toEqual({ ok: true, status: 'canceled' });
    const replies = await parallel(N, () => t().post('/start-verify', { to }));
    expect(statuses(replies)).toEqual(Array(N).fill(429));
    expect(codes(replies)).toEqual(['resend_too_soon']);
    expectWaits(replies);
    expect(await messages(to)).toHaveLength(1);
    await advance(31);
    expect((await t().post('/start-verify', { to })).status).toBe(200);
  }, 120000);

  it('5a. 25 wrong authenticator codes at once, with an app and without: the same answers, the same budget, no lock-out past it', async () => {
    const owner = '+14155550105';
    const uri = await withApp(owner);
    const nobody = '+14155550106';
    const [mine, theirs] = await Promise.all([owner, nobody].map((to) => parallel(N, () => t().post('/totp-check', { to, code: '000000' }))));
    for (const replies of [mine, theirs]) {
      expect(replies.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
      expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(N - 10);
      expect(codes(replies)).toEqual(['incorrect_code', 'totp_rate_limited']);
      // Verify's own per-factor limit (60312, only reachable with an app) never answers.
      expect(replies.every((r) => r.body.error?.twilioCode === undefined)).toBe(true);
      expectWaits(replies);
    }
    const shape = (r: Reply) => ({ status: r.status, error: { ...r.body.error, retryAfter: typeof r.body.error.retryAfter } });
    expect(new Set([...mine, ...theirs].map((r) => JSON.stringify(shape(r)))).size).toBe(2);
    // The budget is the whole lock-out: once the hour's window ends, the owner signs in.
    await advance(3601);
    const signIn = await t().post('/totp-check', { to: owner, code: await codeFromUri(uri, await emulatorSeconds()) });
    expect(signIn.status).toBe(200);
  }, 120000);

  it('5b. one authenticator code sent 25 times at once signs in once', async () => {
    const to = '+14155550107';
    const uri = await withApp(to);
    await advance(30);
    const code = await codeFromUri(uri, await emulatorSeconds());
    const replies = await parallel(N, () => t().post('/totp-check', { to, code }));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(codes(replies).filter((c) => c !== 'totp_rate_limited')).toEqual(['incorrect_code']);
  }, 120000);

  it('5c. one proof token presented 25 times at once adds one app; then it removes nothing', async () => {
    const to = '+14155550108';
    const token = await proofToken(to);
    const replies = await parallel(N, () => t().post('/totp-enroll', {}, token));
    expect(statuses(replies)).toEqual([200, ...Array(N - 1).fill(401)]);
    expect(codes(replies)).toEqual(['invalid_token']);
    const added = replies.find((r) => r.status === 200)!;
    const removed = await t().post('/totp-remove', { factorSid: added.body.factorSid }, token);
    expect([removed.status, removed.body.error?.code]).toEqual([401, 'invalid_token']);
  }, 120000);

  it('6. 25 confirms of one enrolment at once: one token', async () => {
    const to = '+14155550109';
    const { handle, uri } = await enrolment(to);
    const code = await codeFromUri(uri, await emulatorSeconds());
    const replies = await parallel(N, () => t().post('/totp-confirm', { handle, code }));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.body.token !== undefined)).toHaveLength(1);
    expect(codes(replies)).toEqual(['invalid_enrolment_handle']);
  }, 120000);

  it('7. 25 status polls at once and more: at most 20 a minute, counted across instances', async () => {
    const verification = await start('+14155550110');
    const replies = await parallel(N, () => t().post('/verification-status', { verification }));
    expect(replies.filter((r) => r.status === 200).length).toBeLessThanOrEqual(20);
    expect(replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(N - 20);
    expect(codes(replies)).toEqual(['rate_limited']);
    expect(replies.filter((r) => r.status === 429).every((r) => r.body.error.field === 'verification')).toBe(true);
    expectWaits(replies);
    const after = await t().post('/verification-status', { verification });
    expect([after.status, after.body.error?.code]).toEqual([429, 'rate_limited']);
    await advance(61);
    expect((await t().post('/verification-status', { verification })).status).toBe(200);
  }, 120000);

  it('8. a second caller learns nothing of when the first asked: its code has a window of its own', async () => {
    const to = '+14155550111';
    const first = await start(to);
    await advance(217);
    const replies = await parallel(N, () => t().post('/start-verify', { to }));
    const mine = replies.filter((r) => r.status === 200);
    expect(mine).toHaveLength(1);
    expect(mine[0].body.expiresIn).toBe(600);
    expect(mine[0].body.sendCodeAttempts).toBe(1);
    expect(codes(replies)).toEqual(['resend_too_soon']);
    // The first caller's code was replaced, not shared: its handle no longer checks anything.
    const code = (await messages(to)).at(-1)!.code;
    expect((await t().post('/check-verify', { verification: first, code })).status).toBe(404);
    expect((await t().post('/check-verify', { verification: mine[0].body.verification, code })).status).toBe(200);
  }, 120000);

  it('9. the 6th send in a code window: 429 max_send_attempts with retryAfter and Retry-After, for all 25', async () => {
    const to = '+14155550112';
    const verification = await start(to);
    for (const wait of [30, 40, 60, 90]) {
      await advance(wait);
      expect((await t().post('/resend-verify', { verification })).status).toBe(200);
    }
    await advance(120);
    const replies = await parallel(N, () => t().post('/resend-verify', { verification }));
    expect(statuses(replies)).toEqual(Array(N).fill(429));
    expect(codes(replies)).toEqual(['max_send_attempts']);
    expectWaits(replies);
    // Until the first send of the window is 10 minutes old: 600 − (30 + 40 + 60 + 90 + 120) = 260,
    // less the seconds the requests themselves took.
    for (const reply of replies) expect(reply.body.error.retryAfter).toBeGreaterThan(240);
    for (const reply of replies) expect(reply.body.error.retryAfter).toBeLessThanOrEqual(260);
  }, 120000);

  it('an approved person may verify again at once: approval ends the destination\'s cooldown', async () => {
    const to = '+14155550113';
    await proofToken(to);
    expect((await t().post('/start-verify', { to })).status).toBe(200);
  }, 120000);
}
