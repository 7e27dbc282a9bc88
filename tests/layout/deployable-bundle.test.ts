import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandInResponse, installTwilioResponse } from '../support/twilio-response';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { createVerifyStub, sealedHandle, stubContext, type StubFactor } from '../support/twilio-stub';
import { readConfig } from '../../src/config';
import { sealEnrolmentHandle } from '../../src/security/enrolment-handle';
import { totpEntityIdentity } from '../../src/security/totp-entity';

/** Client data naming a challenge: /passkey-check claims it once before asking Verify. */
const CLIENT_DATA = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: 'Y2hhbGxlbmdl' })).toString(
  'base64url',
);
import { proofTokenFor } from '../support/proof-tokens';
import { subjectId } from '../../src/tokens/subject';
import { recoveryCodeHash } from '../../src/security/recovery-codes';
import { stateKey } from '../../src/state/state-keys';

const root = join(__dirname, '..', '..');
const distFunctions = join(root, 'dist', 'functions');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
});

describe('built functions are deployable one file each', () => {
  // A request each route answers with 2xx when Verify (the stub) says yes.
  const params: Record<string, Record<string, string>> = {
    'cancel-verify.js': { verification: 'set in beforeAll' },
    'check-verify.js': { verification: 'set in beforeAll', code: '123456' },
    'create-service.js': { friendlyName: 'Layout' },
    'resend-verify.js': { verification: 'set in beforeAll' },
    'start-verify.js': { to: '+14155552671' },
    'verification-report.js': { window: '24h' },
    'verification-status.js': { verification: 'set in beforeAll' },
    'jwks.js': {},
    // The TOTP routes, for a number that has a verified factor (`factor` below).
    'totp-check.js': { to: '+14155552671', code: '246810' },
    'totp-confirm.js': { handle: 'set in beforeAll', code: '246810' },
    'totp-enroll.js': {},
    'totp-factors.js': {},
    'totp-remove.js': { factorSid: `YF${'7'.repeat(32)}` },
    // The passkey routes (the stub checks no WebAuthn bytes; these only need the right shape).
    'passkey-register.js': {},
    'passkey-confirm.js': {
      handle: 'set in beforeAll',
      credential: JSON.stringify({
        id: 'aWQ',
        rawId: 'aWQ',
        type: 'public-key',
        response: {
          attestationObject: 'bw',
          // The registration's own challenge (sealed in the handle below), as /passkey-confirm requires.
          clientDataJSON: Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: 'cmVn' })).toString(
            'base64url',
          ),
        },
      }),
    },
    'passkey-challenge.js': { to: '+14155552671' },
    'passkey-check.js': {
      to: '+14155552671',
      credential: JSON.stringify({
        id: 'aWQ',
        rawId: 'aWQ',
        type: 'public-key',
        response: { authenticatorData: 'YQ', clientDataJSON: CLIENT_DATA, signature: 'cw' },
      }),
    },
    'passkey-factors.js': {},
    'passkey-remove.js': { factorSid: `YF${'7'.repeat(32)}` },
    'recovery-codes.js': {},
    // A code of the set seeded below.
    'recovery-check.js': { to: '+14155552671', code: '7K2MQ-9XR4T' },
  };
  // Routes that take a proof token as Bearer (the rest get the admin token).
  const bearerRoutes = [
    'totp-enroll.js',
    'totp-factors.js',
    'totp-remove.js',
    'passkey-register.js',
    'passkey-factors.js',
    'passkey-remove.js',
    'recovery-codes.js',
  ];
  // GET routes: no body, so no Content-Type.
  const getRoutes = ['jwks.js'];
  // With a signing key, check-verify and /jwks run jose from inside their bundle.
  const env = {
    ADMIN_TOKEN: 't',
    AUTH_TOKEN: 'layout-auth-token',
    TOKEN_SIGNING_KEY: generateSigningKey(),
    TOKEN_AUDIENCE: 'layout',
    DOMAIN_NAME: 'verify-layout.twil.io',
  };
  let proofToken = '';
  let factor: StubFactor;
  beforeAll(async () => {
    const config = readConfig(stubContext(createVerifyStub(), env));
    proofToken = (await proofTokenFor({ to: '+14155552671', channel: 'sms' }, config, {
      request: { headers: {} },
    })) as string;
    const identity = totpEntityIdentity(config, subjectId('+14155552671', config));
    factor = {
      sid: `YF${'7'.repeat(32)}`,
      identity,
      factorType: 'totp',
      status: 'verified',
      friendlyName: 'Layout',
      dateCreated: new Date(),
    };
    params['passkey-confirm.js'].handle = sealEnrolmentHandle(config, {
      factorSid: factor.sid,
      entity: identity,
      subject: 'layout',
      destination: '+14155552671',
      expiresAt: Date.now() + 600_000,
      challenge: 'cmVn',
    });
    for (const file of ['cancel-verify.js', 'check-verify.js', 'resend-verify.js', 'verification-status.js'])
      params[file].verification = sealedHandle();
    params['totp-confirm.js'].handle = sealEnrolmentHandle(config, {
      factorSid: factor.sid,
      entity: identity,
      subject: 'layout',
      destination: '+14155552671',
      expiresAt: Date.now() + 600_000,
    });
  });
  const expected = readdirSync(join(root, 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, '.js'))
    .sort();

  it('knows a request for every route', () => {
    expect(Object.keys(params).sort()).toEqual(expected);
  });

  it('bundles libphonenumber only where a number someone typed is parsed (resend reads what start sealed)', () => {
    // The metadata's country list, as scripts/libphonenumber-build.cjs packs it into each bundle that parses.
    const parses = expected.filter((f) => readFileSync(join(distFunctions, f), 'utf8').includes('AC,AD,AE,AF'));
    expect(parses).toEqual([
      'check-verify.js',
      'passkey-challenge.js',
      'passkey-check.js',
      'recovery-check.js',
      'start-verify.js',
      'totp-check.js',
    ]);
  });

  it('builds exactly one .js per function route, and nothing else', () => {
    expect(
      readdirSync(distFunctions)
        .filter((f) => f.endsWith('.js'))
        .sort(),
    ).toEqual(expected);
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
      const mod = require(target) as {
        handler: (c: unknown, e: unknown, cb: (err: unknown, res?: unknown) => void) => void;
      };
      installTwilioResponse();
      const stub = createVerifyStub();
      stub.onCheckCreate = () => ({
        sid: `VE${'1'.repeat(32)}`,
        to: '+14155552671',
        status: 'approved',
        channel: 'sms',
      });
      // totp-confirm finishes an enrolment: its factor is still unverified (a verified one spends the handle).
      const passkey = file.startsWith('passkey-');
      if (file === 'recovery-check.js') {
        const config = readConfig(stubContext(stub, env));
        const subject = subjectId('+14155552671', config);
        await stub.store.create(
          stateKey(config, 'recovery', subject),
          { set: 's', hashes: [recoveryCodeHash(config, subject, '7K2MQ9XR4T')], used: [], createdAt: 0 },
          60,
        );
      }
      stub.totp.factors.push({
        ...factor,
        factorType: passkey ? 'passkeys' : 'totp',
        status: file === 'totp-confirm.js' || file === 'passkey-confirm.js' ? 'unverified' : 'verified',
      });
      const authorization = `Bearer ${bearerRoutes.includes(file) ? proofToken : 't'}`;
      const headers = getRoutes.includes(file)
        ? { authorization }
        : { 'content-type': 'application/json', authorization };
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      const response = await new Promise<StandInResponse>((resolve, reject) =>
        mod.handler(stubContext(stub, env), { ...params[file], request: { headers, cookies: {} } }, (err, res) =>
          err ? reject(err) : resolve(res as StandInResponse),
        ),
      );
      log.mockRestore();
      expect(response).toBeInstanceOf(StandInResponse);
      expect([200, 201]).toContain(response.statusCode);
      expect(response.body).toMatchObject(
        file === 'jwks.js' ? { keys: [expect.objectContaining({ alg: 'ES256' })] } : { ok: true },
      );
      if (file === 'check-verify.js')
        expect(String((response.body as { token?: string }).token)).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the deployed assets', () => {
  it('are the two pages, their styles and scripts and the contract: no page/ modules, READMEs or maps', () => {
    expect(readdirSync(join(root, 'dist', 'assets')).sort()).toEqual([
      'admin.css',
      'admin.html',
      'admin.js',
      'app.js',
      'index.html',
      'openapi.json',
      'styles.css',
    ]);
  });
});
