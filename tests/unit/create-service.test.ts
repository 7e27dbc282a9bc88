import { handler } from '../../functions/create-service';
import { safeEqual } from '../../src/http/admin-auth';
import { invoke, type Handler } from '../support/invoke';
import { createVerifyStub, stubContext, twilioError, type VerifyStub } from '../support/twilio-stub';

const create = handler as Handler;
const TOKEN = 'a-very-long-admin-token-0123456789';
let stub: VerifyStub;
beforeEach(() => {
  stub = createVerifyStub();
});

const call = (params: Record<string, unknown>, opts: { token?: string; env?: Record<string, string> } = {}) =>
  invoke(create, params, {
    context: stubContext(stub, { ADMIN_TOKEN: TOKEN, ...opts.env }),
    headers: {
      'content-type': 'application/json',
      ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
    },
  });

describe('create-service: admin surface', () => {
  it('is closed when ADMIN_TOKEN is unset: 403 admin_disabled', async () => {
    const res = await call({ friendlyName: 'My App' }, { token: TOKEN, env: { ADMIN_TOKEN: '' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'admin_disabled' });
    expect(stub.calls.serviceList).toBe(0);
  });

  it.each([[undefined], ['wrong'], [`${TOKEN}x`], ['']])(
    'token %p → 401 unauthorized with WWW-Authenticate',
    async (token) => {
      const res = await call({ friendlyName: 'My App' }, { token });
      expect(res.status).toBe(401);
      expect(res.headers['WWW-Authenticate']).toBe('Bearer');
      expect(res.body.error).toMatchObject({ code: 'unauthorized' });
      expect(stub.calls.serviceList).toBe(0);
    },
  );

  it('never logs the admin token', async () => {
    const res = await call({ friendlyName: 'My App' }, { token: 'wrong-token-guess' });
    const ok = await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(res.logs.join('\n') + ok.logs.join('\n')).not.toMatch(/wrong-token-guess|a-very-long-admin-token/);
  });

  it('compares secrets with equal-length digests (different lengths do not throw)', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});

describe('create-service: idempotent on friendlyName', () => {
  it('creates a new service: 201 created true, settings passed to Verify', async () => {
    const res = await call(
      { friendlyName: 'My App', codeLength: '8', skipSmsToLandlines: 'true', lookupEnabled: false },
      { token: TOKEN },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ok: true,
      created: true,
      sid: expect.stringMatching(/^VA[0-9a-f]{32}$/),
      friendlyName: 'My App',
      codeLength: 8,
    });
    expect(stub.calls.serviceCreate[0]).toMatchObject({
      friendlyName: 'My App',
      codeLength: 8,
      skipSmsToLandlines: true,
      lookupEnabled: false,
    });
  });

  it('sets up the rate limits and buckets once, however often it runs', async () => {
    const first = await call({ friendlyName: 'My App' }, { token: TOKEN });
    await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(stub.calls.rateLimitCreate.map((c) => c.uniqueName)).toEqual(['destination', 'phone_prefix', 'client_key']);
    expect(stub.calls.bucketCreate).toHaveLength(6);
    expect(first.body.rateLimits).toEqual([
      // 10 sends an hour and 40 a day per destination: at most 50 / 200 wrong codes (5 per verification).
      {
        uniqueName: 'destination',
        sid: expect.stringMatching(/^RK/),
        buckets: [
          { max: 10, interval: 3600 },
          { max: 40, interval: 86400 },
        ],
      },
      expect.objectContaining({ uniqueName: 'phone_prefix', sid: expect.stringMatching(/^RK/) }),
      expect.objectContaining({ uniqueName: 'client_key' }),
    ]);
  });

  it('returns the existing service with 200 created false', async () => {
    const first = await call({ friendlyName: 'My App' }, { token: TOKEN });
    const second = await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ ok: true, created: false, sid: first.body.sid });
    expect(stub.calls.serviceCreate).toHaveLength(1);
  });

  it('maps Twilio auth failure to server_misconfigured', async () => {
    stub.failServices = twilioError(401, 20003, 'Authenticate');
    const res = await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'server_misconfigured', twilioCode: 20003 });
  });
});

describe('create-service: parameters', () => {
  it('ttl → 400 naming the field and explaining the fixed 10-minute lifetime', async () => {
    const res = await call({ friendlyName: 'My App', ttl: '600' }, { token: TOKEN });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'ttl' });
    expect(String(res.body.error?.message)).toMatch(/10 minutes/);
    expect(String(res.body.error?.message)).toMatch(/Twilio Support/);
  });

  it.each([
    [{ friendlyName: 'My App', doForceCheckOnce: true }, 'doForceCheckOnce'],
    [{ friendlyName: 'My App', colour: 'red' }, 'colour'],
    [{}, 'friendlyName'],
    [{ friendlyName: 'x'.repeat(31) }, 'friendlyName'],
    [{ friendlyName: 'Shop 12345' }, 'friendlyName'],
    [{ friendlyName: 'A1 B2 C3 D4 E5' }, 'friendlyName'],
    [{ friendlyName: 'My App', codeLength: 3 }, 'codeLength'],
    [{ friendlyName: 'My App', codeLength: '11' }, 'codeLength'],
    [{ friendlyName: 'My App', codeLength: 6.5 }, 'codeLength'],
    [{ friendlyName: 'My App', lookupEnabled: 'yes' }, 'lookupEnabled'],
  ])('%j → 400 invalid_request on %s', async (params, field) => {
    const res = await call(params, { token: TOKEN });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect(stub.calls.serviceCreate).toHaveLength(0);
  });
});

describe('create-service: the Sync Service for SYNC_SERVICE_SID', () => {
  it('finds or creates one Sync Service with the state Map, however often it runs', async () => {
    const first = await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(first.body.sync).toEqual({
      sid: expect.stringMatching(/^IS[0-9a-f]{32}$/),
      map: 'verify-functions-state',
      created: true,
    });
    const again = await call({ friendlyName: 'My App' }, { token: TOKEN });
    expect(again.body.sync).toEqual({ ...(first.body.sync as object), created: false });
    expect(stub.syncServices).toEqual([
      { sid: (first.body.sync as { sid: string }).sid, friendlyName: 'My App', maps: ['verify-functions-state'] },
    ]);
  });

  it('uses the service SYNC_SERVICE_SID names, and makes its Map when missing', async () => {
    const first = await call({ friendlyName: 'My App' }, { token: TOKEN });
    const sid = (first.body.sync as { sid: string }).sid;
    stub.syncServices[0].maps = [];
    const named = await call({ friendlyName: 'Another Name' }, { token: TOKEN, env: { SYNC_SERVICE_SID: sid } });
    expect(named.body.sync).toEqual({ sid, map: 'verify-functions-state', created: false });
    expect(stub.syncServices).toHaveLength(1);
    expect(stub.syncServices[0].maps).toEqual(['verify-functions-state']);
  });
});
