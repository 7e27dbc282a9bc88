// End to end over HTTP: twilio-run serving the built functions, talking to the emulator.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { useStack, type Stack } from '../support/stack';

const TO = '+14155552671';
let stack: Stack;

useStack((started) => (stack = started));

async function post(path: string, body: Record<string, string>, form = false) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

async function latestCode(to: string): Promise<string> {
  const res = await fetch(`${stack.emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  const { messages } = (await res.json()) as { messages: Array<{ code: string }> };
  return messages[messages.length - 1].code;
}

describe('twilio-run + emulator over HTTP', () => {
  it('serves the happy path: start (form, + encoded) → code in the emulator inbox → check approves', async () => {
    const started = await post('/start-verify', { to: TO }, true);
    expect(started.status).toBe(200);
    expect(started.headers.get('content-type')).toMatch(/application\/json/);
    const code = await latestCode(TO);
    const checked = await post('/check-verify', { code, verification: started.body.verification });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ ok: true, status: 'approved' });
  });

  it('wrong code, resend and expiry behave as on Twilio', async () => {
    const first = await post('/start-verify', { to: TO });
    const code = await latestCode(TO);
    const bad = await post('/check-verify', {
      code: code === '000000' ? '111111' : '000000',
      verification: first.body.verification,
    });
    expect(bad.status).toBe(401);
    const resend = await post('/resend-verify', { verification: first.body.verification });
    expect(resend.status).toBe(429);
    await fetch(`${stack.emulatorUrl}/emulator/v1/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: resend.body.error.retryAfter }),
    });
    const resent = await post('/resend-verify', { verification: first.body.verification, channel: 'sms' });
    expect(resent.body).toMatchObject({ ok: true, sendCodeAttempts: 2 });
    expect(await latestCode(TO)).toBe(code);
    await fetch(`${stack.emulatorUrl}/emulator/v1/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 601 }),
    });
    const late = await post('/check-verify', { code, verification: resent.body.verification });
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('verification_not_found');
  });

  it('max check attempts', async () => {
    const started = await post('/start-verify', { to: TO });
    const code = await latestCode(TO);
    const wrongCode = code === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post('/check-verify', { code: wrongCode, verification: started.body.verification })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('create-service needs the admin token and is idempotent', async () => {
    const noToken = await fetch(`${stack.baseUrl}/create-service`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ friendlyName: 'E2E' }),
    });
    expect(noToken.status).toBe(401);
    const call = () =>
      fetch(`${stack.baseUrl}/create-service`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` },
        body: JSON.stringify({ friendlyName: 'E2E' }),
      });
    expect((await call()).status).toBe(201);
    expect((await call()).status).toBe(200);
  });

  it('GET is 405 JSON', async () => {
    const res = await fetch(`${stack.baseUrl}/start-verify?to=${encodeURIComponent(TO)}`);
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'method_not_allowed' } });
  });
});
