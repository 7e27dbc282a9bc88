// The typed client (client/) against the local stack, as an app would use it: the contract is
// served as /openapi.json, and start → check → token, resend's retryAfter, status, cancel and
// /jwks all come back in the types generated from it (each answer also checked by ajv).
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { createVerifyClient, type Failure } from '../../client/index';
import { contractFetch, openApiDocument } from '../support/contract';
import { useStack, type Stack } from '../support/stack';

const TO = '+14155550143';
let stack: Stack;

useStack((started) => (stack = started), {
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: 'https://backend.example.com' },
});

const client = () => createVerifyClient({ baseUrl: stack.baseUrl, fetch: (request) => contractFetch(request) });

async function messages(to: string): Promise<Array<{ code: string; body: string }>> {
  const res = await fetch(`${stack.emulatorUrl}/emulator/v1/messages?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: Array<{ code: string; body: string }> }).messages;
}

function failed<T extends { ok: boolean }>(answer: T | Failure): Failure {
  if (answer.ok) throw new Error(`expected a failure, got ${JSON.stringify(answer)}`);
  return answer as Failure;
}

describe('/openapi.json', () => {
  it('is served by GET as JSON, the document the tests check answers against', async () => {
    const res = await fetch(`${stack.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const served = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(openApiDocument().paths).sort());
  });
});

describe('the typed client', () => {
  it('start → check answers a token; status, resend and cancel carry the handle; /jwks has the key', async () => {
    const api = client();
    const started = await api.startVerify({ to: TO, channel: 'sms', appHash: 'FA+9qCX9VSu' });
    if (!started.ok) throw new Error(started.error.code);
    expect(started.retryAfter).toBeGreaterThan(0);
    // Verify appends the Android app hash to the SMS, for the SMS Retriever.
    const [sms] = await messages(TO);
    expect(sms.body).toMatch(/^<#> .* FA\+9qCX9VSu$/);

    const status = await api.verificationStatus({ verification: started.verification });
    expect(status).toMatchObject({ ok: true, status: 'pending', attempts: [{ channel: 'sms' }] });

    const early = failed(await api.resendVerify({ verification: started.verification }));
    expect(early.error.code).toBe('resend_too_soon');
    expect(early.error.retryAfter).toBeGreaterThan(0);

    const wrong = failed(
      await api.checkVerify({ code: sms.code === '000000' ? '111111' : '000000', verification: started.verification }),
    );
    expect(wrong).toMatchObject({ status: 'pending', error: { code: 'incorrect_code', field: 'code' } });

    const approved = await api.checkVerify({ code: sms.code, verification: started.verification });
    if (!approved.ok) throw new Error(approved.error.code);
    expect(approved.token).toMatch(/^eyJ/);

    const keys = await api.jwks();
    if ('ok' in keys) throw new Error(keys.error.code);
    expect(keys.keys).toHaveLength(1);

    expect(await api.cancelVerify({ verification: started.verification })).toEqual({ ok: true, status: 'canceled' });
  });

  it('post() reaches any route of the contract, with a bearer token', async () => {
    const api = client();
    const created = await api.post('/create-service', { friendlyName: 'Typed client' }, { token: stack.adminToken });
    if (!created.ok) throw new Error(created.error.code);
    expect(created.sid).toMatch(/^VA/);
    expect(
      failed(await api.post('/create-service', { friendlyName: 'Typed client' }, { token: 'wrong' })).error.code,
    ).toBe('unauthorized');
  });

  it('answers a bad parameter with its field, and an unreachable server with network_error', async () => {
    const bad = failed(await client().startVerify({ to: TO, appHash: 'short' }));
    expect(bad.error).toMatchObject({ code: 'invalid_request', field: 'appHash' });
    const offline = createVerifyClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    expect(failed(await offline.startVerify({ to: TO })).error.code).toBe('network_error');
  });

  it('gives up on a server that never answers /jwks after timeoutMs, as it does on every other call', async () => {
    const hanging = (request: Request) =>
      new Promise<Response>((_, reject) =>
        request.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const slow = createVerifyClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 50, fetch: hanging });
    const started = Date.now();
    expect(await slow.jwks()).toMatchObject({ ok: false, error: { code: 'network_error' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
