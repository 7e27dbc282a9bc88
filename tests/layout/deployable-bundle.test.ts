import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandInResponse, installTwilioResponse } from '../support/twilio-response';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { createVerifyStub, sealedHandle, stubContext } from '../support/twilio-stub';

const root = join(__dirname, '..', '..');
const distFunctions = join(root, 'dist', 'functions');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
});

describe('built functions are deployable one file each', () => {
  // A request each route answers with 2xx when Verify (the stub) says yes.
  const params: Record<string, Record<string, string>> = {
    'cancel-verify.js': { verification: sealedHandle() },
    'check-verify.js': { verification: sealedHandle(), code: '123456' },
    'create-service.js': { friendlyName: 'Layout' },
    'resend-verify.js': { verification: sealedHandle() },
    'start-verify.js': { to: '+14155552671' },
    'verification-report.js': { window: '24h' },
    'verification-status.js': { verification: sealedHandle() },
    'jwks.js': {},
  };
  // GET routes: no body, so no Content-Type.
  const getRoutes = ['jwks.js'];
  // With a signing key, check-verify and /jwks run jose from inside their bundle.
  const env = { ADMIN_TOKEN: 't', AUTH_TOKEN: 'layout-auth-token', TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: 'layout' };
  const expected = readdirSync(join(root, 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, '.js'))
    .sort();

  it('knows a request for every route', () => {
    expect(Object.keys(params).sort()).toEqual(expected);
  });

  it('builds exactly one .js per function route, and nothing else', () => {
    expect(readdirSync(distFunctions).filter((f) => f.endsWith('.js')).sort()).toEqual(expected);
  });

  it.each(expected)('%s requires no sibling file (no relative require)', (file) => {
    const source = readFileSync(join(distFunctions, file), 'utf8');
    expect(source).not.toMatch(/require\(\s*["']\.{1,2}\//);
  });

  it.each(expected)('%s copied alone under another name still serves a request', async (file) => {
    const dir = mkdtempSync(join(tmpdir(), 'deployed-'));
    try {
      // The hosted runtime stores each function under a generated name, alone.
      const target = join(dir, `ZF${Math.random().toString(16).slice(2)}.js`);
      copyFileSync(join(distFunctions, file), target);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(target) as { handler: (c: unknown, e: unknown, cb: (err: unknown, res?: unknown) => void) => void };
      installTwilioResponse();
      const stub = createVerifyStub();
      stub.onCheckCreate = () => ({ sid: `VE${'1'.repeat(32)}`, to: '+14155552671', status: 'approved', channel: 'sms' });
      const headers = getRoutes.includes(file) ? { authorization: 'Bearer t' } : { 'content-type': 'application/json', authorization: 'Bearer t' };
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      const response = await new Promise<StandInResponse>((resolve, reject) =>
        mod.handler(stubContext(stub, env), { ...params[file], request: { headers, cookies: {} } }, (err, res) =>
          err ? reject(err) : resolve(res as StandInResponse),
        ),
      );
      log.mockRestore();
      expect(response).toBeInstanceOf(StandInResponse);
      expect([200, 201]).toContain(response.statusCode);
      expect(response.body).toMatchObject(file === 'jwks.js' ? { keys: [expect.objectContaining({ alg: 'ES256' })] } : { ok: true });
      if (file === 'check-verify.js') expect(String((response.body as { token?: string }).token)).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
