// `npm run deploy:rehearse`: the real twilio-run deploy path against a fake Serverless API
// (no network), then the recorded upload served by @twilio/runtime-handler from an empty
// directory with only the declared dependencies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RehearsalReport } from '../../scripts/deploy-rehearse';
import { chooseRehearsalEnv, PLACEHOLDERS } from '../../scripts/rehearsal-env';

const root = join(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rehearsal-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rehearse(envText: string): { status: number | null; output: string; report: RehearsalReport } {
  const envPath = join(dir, `env-${Math.random().toString(36).slice(2)}`);
  const jsonPath = `${envPath}.json`;
  writeFileSync(envPath, envText);
  const result = spawnSync(
    process.execPath,
    [join(root, 'build', 'deploy-rehearse.js'), '--env', envPath, '--json', jsonPath],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 240000,
    },
  );
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    report: JSON.parse(readFileSync(jsonPath, 'utf8')) as RehearsalReport,
  };
}

test('a deploy uploads every function and the page on node22 with the declared dependencies, sends no blank or local-only variable, and each function answers when served from the upload alone', () => {
  const { status, output, report } = rehearse(
    [
      `ACCOUNT_SID=AC${'1'.repeat(32)}`,
      `AUTH_TOKEN=${'2'.repeat(32)}`,
      `VERIFY_SERVICE_SID=VA${'3'.repeat(32)}`,
      'ADMIN_TOKEN=',
      'ALLOWED_COUNTRIES=US,GB',
      'ALLOWED_ORIGINS=',
      'VERIFY_EMULATOR_HOST=',
    ].join('\n'),
  );
  expect(report.problems).toEqual([]);
  expect(status).toBe(0);
  expect(output).toContain('OK:');
  expect(report.runtime).toBe('node22');
  const functions = readdirSync(join(root, 'dist', 'functions'))
    .map((file) => `/${file.replace(/\.js$/, '')}`)
    .sort();
  expect(report.functions.map((f) => f.path)).toEqual(functions);
  expect(report.functions.every((f) => f.visibility === 'public')).toBe(true);
  expect(report.assets.map((a) => a.path)).toContain('/index.html');
  expect(report.dependencies).toEqual(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
  );
  // Blank values would overwrite the Console's; the credentials are the runtime's own.
  expect([...report.variables].sort()).toEqual([
    'ALLOWED_COUNTRIES (5 characters)',
    'VERIFY_SERVICE_SID (34 characters)',
  ]);
  expect(report.served.map((s) => s.path).sort()).toEqual([...functions, '/index.html'].sort());
  for (const answer of report.served.filter((s) => s.path !== '/index.html')) {
    expect(answer.contentType).toMatch(/^application\/json/);
    // GET routes answer 200 (/jwks: the public keys); the others their own validation error.
    if (answer.path === '/jwks') {
      expect(answer.status).toBe(200);
      expect(answer.code).toBeUndefined();
    } else expect(answer).toMatchObject({ status: expect.any(Number), code: expect.any(String) });
    expect(answer.status).toBeLessThan(500);
  }
}, 300000);

test('a local-only or unknown variable in .env fails the rehearsal before anything is installed', () => {
  const { status, report } = rehearse(
    ['VERIFY_EMULATOR_HOST=127.0.0.1:3001', 'GITHUB_TOKEN=ghp_secret', `VERIFY_SERVICE_SID=VA${'3'.repeat(32)}`].join(
      '\n',
    ),
  );
  expect(status).toBe(1);
  expect(report.problems).toEqual([
    expect.stringMatching(/^VERIFY_EMULATOR_HOST would be uploaded/),
    expect.stringMatching(/^GITHUB_TOKEN would be uploaded but is not a setting/),
  ]);
  expect(report.served).toEqual([]);
}, 120000);

test('a short ADMIN_TOKEN fails the rehearsal (a guessable key to the admin routes)', () => {
  const { status, report } = rehearse([`VERIFY_SERVICE_SID=VA${'3'.repeat(32)}`, 'ADMIN_TOKEN=abc'].join('\n'));
  expect(status).toBe(1);
  expect(report.problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN is 3 characters: use 24 or more/)]);
}, 120000);

test('a fresh clone (no .env) rehearses with well-formed placeholders and says so', () => {
  // `--placeholders` takes the path a clone without .env takes, whether or not this checkout has one.
  const jsonPath = join(dir, 'placeholders.json');
  const result = spawnSync(
    process.execPath,
    [join(root, 'build', 'deploy-rehearse.js'), '--placeholders', '--json', jsonPath],
    { cwd: root, encoding: 'utf8', timeout: 240000 },
  );
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as RehearsalReport;
  expect(report.problems).toEqual([]);
  expect(result.status).toBe(0);
  expect(report.placeholders).toBe(true);
  expect(result.stdout).toContain('Rehearsing with placeholders');
  expect(result.stdout).toContain('cp .env.example .env');
  expect([...report.variables].sort()).toEqual([
    'SYNC_SERVICE_SID (34 characters)',
    'VERIFY_SERVICE_SID (34 characters)',
  ]);
}, 300000);

describe('which settings the rehearsal takes (scripts/rehearsal-env.ts)', () => {
  const missing = join(tmpdir(), `no-such-env-${process.pid}`);

  it('without .env and without --env: the placeholders, with a note saying so and how to rehearse your own', () => {
    const env = chooseRehearsalEnv({ forcePlaceholders: false, defaultPath: missing });
    try {
      expect(env.placeholders).toBe(true);
      expect(env.note).toMatch(/^No \.env yet: rehearsing with well-formed placeholders .*cp \.env\.example \.env/);
      const text = readFileSync(env.path, 'utf8');
      for (const [key, value] of Object.entries(PLACEHOLDERS)) expect(text).toContain(`${key}=${value}\n`);
    } finally {
      rmSync(dirname(env.path), { recursive: true, force: true });
    }
  });

  it('an existing .env is used as it is; a missing --env file is an error, never a silent placeholder', () => {
    const envPath = join(dir, 'real.env');
    writeFileSync(envPath, `VERIFY_SERVICE_SID=VA${'3'.repeat(32)}\n`);
    expect(chooseRehearsalEnv({ forcePlaceholders: false, defaultPath: envPath })).toEqual({
      path: envPath,
      placeholders: false,
    });
    expect(() => chooseRehearsalEnv({ envArg: missing, forcePlaceholders: false, defaultPath: envPath })).toThrow(
      /pass an existing file to --env/,
    );
  });
});

test('.twilioserverlessrc names the runtime explicitly', () => {
  expect(JSON.parse(readFileSync(join(root, '.twilioserverlessrc'), 'utf8'))).toMatchObject({ runtime: 'node22' });
});
