// The emulator's dev API has no auth and shows every code, so it must never be reachable
// from beyond the machine, and a deployed function must never talk to one.
import { request } from 'node:http';
import twilio from 'twilio';
import { RATE_LIMITS } from '../../src/domain/rate-limits';
import { handler as startHandler } from '../../functions/start-verify';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  startEmulatorServer,
  type RunningEmulatorServer,
} from '../../emulator';
import { buildEvent, callHandler, LogTap, type AnyHandler } from './support';

let server: RunningEmulatorServer;
const tap = new LogTap();

beforeAll(async () => {
  server = await startEmulatorServer({ port: 0, seedService: { rateLimits: RATE_LIMITS } });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => tap.install());
afterEach(() => tap.restore());

/** A raw request with an arbitrary Host header (what DNS rebinding produces). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulator exposure', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to listen on %s', async (host) => {
    await expect(startEmulatorServer({ port: 0, host })).rejects.toThrow(/loopback/);
  });

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(['evil.example.com', 'evil.example.com:80', '127.0.0.1.nip.io', 'attacker.test:3001'])(
    'refuses a foreign Host header (%s): DNS rebinding cannot read the inbox',
    async (host) => {
      expect(await getWithHost('/emulator/v1/messages', host)).toBe(403);
      expect(await getWithHost('/', host)).toBe(403);
    },
  );

  it('answers loopback Host headers', async () => {
    expect(await getWithHost('/emulator/v1/health', `127.0.0.1:${server.port}`)).toBe(200);
    expect(await getWithHost('/emulator/v1/health', `localhost:${server.port}`)).toBe(200);
  });

  const start = (env: Record<string, string>) =>
    callHandler(
      startHandler as AnyHandler,
      {
        VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
        SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID,
        AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
        ...env,
        getTwilioClient: (opts?: Record<string, unknown>) => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, opts),
      },
      buildEvent({ to: '+14155552671' }, { 'content-type': 'application/json' }),
      tap,
    );

  it.each([
    ['a deployed domain', { DOMAIN_NAME: 'verify-1234-dev.twil.io' }],
    ['a custom domain', { DOMAIN_NAME: 'auth.example.com' }],
    ['no DOMAIN_NAME', {}],
    ['a look-alike domain', { DOMAIN_NAME: 'localhost.example.com' }],
  ])(
    'VERIFY_EMULATOR_HOST is refused when served from %s: 500 server_misconfigured, nothing sent',
    async (_label, env) => {
      const answer = await start({ ...env, VERIFY_EMULATOR_HOST: `127.0.0.1:${server.port}` });
      expect(answer.status).toBe(500);
      expect((answer.body as { error: { code: string } }).error.code).toBe('server_misconfigured');
      expect(server.emulator.messages()).toEqual([]);
    },
  );

  it.each(['10.0.0.5:3001', 'emulator.internal:3001', 'example.com:80', '127.0.0.1.nip.io:3001'])(
    'VERIFY_EMULATOR_HOST must point at loopback even locally (%s is refused)',
    async (emulatorHost) => {
      const answer = await start({ DOMAIN_NAME: 'localhost:3000', VERIFY_EMULATOR_HOST: emulatorHost });
      expect(answer.status).toBe(500);
      expect((answer.body as { error: { code: string } }).error.code).toBe('server_misconfigured');
    },
  );

  it('served from localhost and pointing at loopback, the emulator is used (control case)', async () => {
    const answer = await start({ DOMAIN_NAME: 'localhost:3000', VERIFY_EMULATOR_HOST: `127.0.0.1:${server.port}` });
    expect(answer.status).toBe(200);
    expect(server.emulator.messages({ to: '+14155552671' })).toHaveLength(1);
  });
});
