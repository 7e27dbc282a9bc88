// The README's first command: `npm start` (build/start.js) brings up the page, the functions
// and the emulator with no Twilio account, honours PORT / EMULATOR_PORT / ADMIN_TOKEN (printing
// only a token it generated), prints the emulator's credentials for Twilio's SDKs, and Ctrl-C
// stops everything. `npm run start:twilio` says what is missing from .env.
// Every answer of a route is checked against the OpenAPI document on the way (tests/support/contract.ts).
import { contractFetch as fetch } from '../support/contract';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { freePort } from '../../scripts/local-stack';

const root = join(__dirname, '..', '..');

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

/**
 * `npm start` runs twilio-run and the emulator as children: killing only the launcher (as a
 * failed test's clean-up would) leaves twilio-run serving. Each launcher leads its own process
 * group (`detached`), and the whole group goes.
 */
function stopGroup(child: ChildProcess | undefined): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already (the test stopped it with SIGINT).
  }
}

describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(() => stopGroup(child));

  it('serves the page and a full verification offline, then stops on SIGINT', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [join(root, 'build', 'start.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(port), EMULATOR_PORT: String(emulatorPort), ADMIN_TOKEN: '' },
      stdio: 'pipe',
      detached: true,
    });
    const output = await waitForOutput(child, /Press Ctrl-C to stop/, 45000);
    expect(output).toContain(`Verification page:  http://127.0.0.1:${port}/\n`);
    // What a person needs, not twilio-run's banner or the readiness probe's 404.
    expect(output).not.toMatch(/\b404\b|twilio functions available|│/i); // (a port such as 40423 is fine)
    expect(output.trim().split('\n').length).toBeLessThan(45);
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<html');
    let lateOutput = '';
    child.stdout?.on('data', (chunk: Buffer) => (lateOutput += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (lateOutput += chunk.toString()));
    expect(output).toContain(`http://127.0.0.1:${emulatorPort}/`);
    // Copy-pasteable: the admin token it generated as a shell line, and the backend example's issuer and audience.
    const [, adminToken] = /export ADMIN_TOKEN=(\S+)\s+\(generated for this session\)\n/.exec(output) ?? [];
    expect(adminToken).toMatch(/^[\w-]{32}$/);
    // The emulator's credentials, for Twilio's own SDKs (docs/quickstart).
    expect(output).toContain(`export TWILIO_ACCOUNT_SID=AC${'e0'.repeat(16)} TWILIO_AUTH_TOKEN=${'e0'.repeat(16)}\n`);
    expect(output).toContain(
      `export VERIFY_EMULATOR_URL=http://127.0.0.1:${emulatorPort} VERIFY_SERVICE_SID=VA${'e0'.repeat(16)}\n`,
    );
    expect(output).toContain(`ISSUER=http://127.0.0.1:${port} AUDIENCE=local-backend`);
    // Unset settings show the value in force; generated ones say so without printing them.
    expect(output).toMatch(/ALLOWED_COUNTRIES\s+US\s+\(default\)/);
    expect(output).toMatch(/TOKEN_SIGNING_KEY\s+\(generated for this session\)/);
    expect(output).toMatch(/TOKEN_AUDIENCE\s+local-backend\s+\(npm start default\)/);
    expect(output).toMatch(/EMULATOR_TEST_NUMBERS\s+none/);

    const page = await fetch(`http://127.0.0.1:${port}/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const inbox = await fetch(`http://127.0.0.1:${emulatorPort}/`);
    expect(inbox.status).toBe(200);

    const to = '+14155552671';
    const started = await fetch(`http://127.0.0.1:${port}/start-verify`, {
      method: 'POST',
      body: new URLSearchParams({ to }),
    });
    const { verification } = (await started.json()) as { verification: string };
    expect(started.status).toBe(200);
    const { messages } = (await (
      await fetch(`http://127.0.0.1:${emulatorPort}/emulator/v1/messages?to=${encodeURIComponent(to)}`)
    ).json()) as { messages: Array<{ code: string }> };
    const checked = await fetch(`http://127.0.0.1:${port}/check-verify`, {
      method: 'POST',
      body: new URLSearchParams({ code: messages[0].code, verification }),
    });
    expect(checked.status).toBe(200);
    // A key made for the session: tokens are issued, and neither key nor token is printed.
    const { token } = (await checked.json()) as { token?: string };
    expect(token).toMatch(/^eyJ/);
    const jwks = (await (await fetch(`http://127.0.0.1:${port}/jwks`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
    expect(output + lateOutput).not.toContain(String(token));
    expect(output + lateOutput).not.toMatch(/"d"\s*:/);

    // The printed token is the one in force.
    const created = await fetch(`http://127.0.0.1:${port}/create-service`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ friendlyName: 'Banner Token' }),
    });
    expect(created.status).toBe(201);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/index.html`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${emulatorPort}/`)).rejects.toThrow();
  }, 60000);
});

describe('npm start settings', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    stopGroup(child);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('honours the configuration table from .env.local and the shell (shell first) and prints the effective settings', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    dir = mkdtempSync(join(tmpdir(), 'npm-start-settings-'));
    writeFileSync(
      join(dir, '.env.local'),
      'ALLOWED_COUNTRIES=GB\nRESEND_COOLDOWNS=7,9\nCHANNEL_FALLBACK=sms,email\nADMIN_TOKEN=from-env-local-token\n',
    );
    child = spawn(process.execPath, [join(root, 'build', 'start.js')], {
      cwd: dir,
      env: {
        ...process.env,
        PORT: String(port),
        EMULATOR_PORT: String(emulatorPort),
        CHANNEL_FALLBACK: 'call,sms',
        ACCOUNT_SID: 'AC' + '1'.repeat(32),
        // `ADMIN_TOKEN=… npm start`: a token you supply is used, never printed.
        ADMIN_TOKEN: 'shell-supplied-admin-token-0123',
      },
      stdio: 'pipe',
      detached: true,
    });
    const output = await waitForOutput(child, /Press Ctrl-C to stop/, 45000);
    expect(output).toMatch(/ALLOWED_COUNTRIES\s+GB\s+\[\.env\.local\]/);
    expect(output).toMatch(/RESEND_COOLDOWNS\s+7,9\s+\[\.env\.local\]/);
    expect(output).toMatch(/CHANNEL_FALLBACK\s+call,sms\s+\[shell\]/);
    expect(output).toMatch(/ALLOWED_ORIGINS\s+same origin only\s+\(default\)/);
    expect(output).toMatch(/ACCOUNT_SID.*ignored/);
    // A supplied admin token (shell over .env.local) is never printed; the banner says where it came from.
    expect(output).not.toContain('shell-supplied-admin-token-0123');
    expect(output).not.toContain('from-env-local-token');
    expect(output).not.toMatch(/export ADMIN_TOKEN=/);
    expect(output).toContain('the ADMIN_TOKEN you set [shell] (not printed');

    const start = (body: object) =>
      fetch(`http://127.0.0.1:${port}/start-verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const british = await start({ to: '+442079460958', channel: 'call' });
    expect(british.status).toBe(200);
    expect(((await british.json()) as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(8);
    const american = await start({ to: '+14155552671' });
    expect(american.status).toBe(403);
    expect(((await american.json()) as { error: { code: string } }).error.code).toBe('destination_blocked');
    const admin = await fetch(`http://127.0.0.1:${port}/create-service`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer shell-supplied-admin-token-0123' },
      body: JSON.stringify({ friendlyName: 'Settings Test' }),
    });
    expect(admin.status).toBe(201);
  }, 60000);
});

describe('npm start on a port already in use', () => {
  it.each(['PORT', 'EMULATOR_PORT'] as const)(
    'names %s and exits 1, leaving nothing running',
    async (setting) => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as AddressInfo).port;
      const other = await freePort();
      try {
        const env = {
          ...process.env,
          PORT: String(setting === 'PORT' ? port : other),
          EMULATOR_PORT: String(setting === 'EMULATOR_PORT' ? port : other),
          ADMIN_TOKEN: '',
        };
        const child = spawn(process.execPath, [join(root, 'build', 'start.js')], { cwd: root, env, stdio: 'pipe' });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        expect(code).toBe(1);
        expect(output).toContain(`Port ${port} (${setting}, for`);
        expect(output).toContain(`e.g. ${setting}=${port + 100} npm start`);
        if (setting === 'PORT') await expect(fetch(`http://127.0.0.1:${other}/`)).rejects.toThrow();
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    60000,
  );
});

describe('npm run keygen', () => {
  it('prints one TOKEN_SIGNING_KEY line for .env: a fresh P-256 private JWK each time', () => {
    const run = () =>
      spawnSync(process.execPath, [join(root, 'scripts', 'keygen.cjs')], {
        cwd: root,
        encoding: 'utf8',
        timeout: 20000,
      });
    const [a, b] = [run(), run()];
    expect(a.status).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [, value] = /^TOKEN_SIGNING_KEY=(\{.*\})$/.exec(lines[0]) ?? [];
    const jwk = JSON.parse(value) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(createPrivateKey({ key: jwk, format: 'jwk' }).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(value.length).toBeLessThanOrEqual(450); // the hosted runtime's limit per variable
    expect(b.stdout).not.toBe(a.stdout);
    expect(a.stderr).toContain('TOKEN_AUDIENCE');
  });
});

describe('npm run start:twilio', () => {
  const run = (envPath: string) =>
    spawnSync(process.execPath, [join(root, 'build', 'start-twilio.js'), '--env', envPath], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20000,
    });

  it('names each missing value of a fresh copy of .env.example and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-twilio-'));
    try {
      const envPath = join(dir, '.env');
      copyFileSync(join(root, '.env.example'), envPath);
      const result = run(envPath);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Not ready for real verifications yet');
      for (const name of ['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_SERVICE_SID']) expect(result.stderr).toContain(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a .env (a fresh clone) says to copy .env.example', () => {
    const result = run(join(tmpdir(), `no-such-env-${process.pid}`));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cp .env.example .env');
  });
});
