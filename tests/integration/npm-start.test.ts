// The README's first command: `npm start` (build/start.js) brings up the page, the functions
// and the emulator with no Twilio account, honours PORT / EMULATOR_PORT / ADMIN_TOKEN, and
// Ctrl-C stops everything. `npm run start:twilio` says what is missing from .env.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
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

describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves the page and a full verification offline, then stops on SIGINT', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [join(root, 'build', 'start.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(port), EMULATOR_PORT: String(emulatorPort), ADMIN_TOKEN: 'start-test-admin-token' },
      stdio: 'pipe',
    });
    const output = await waitForOutput(child, /Press Ctrl-C to stop/, 45000);
    expect(output).toContain(`http://127.0.0.1:${port}/index.html`);
    expect(output).toContain(`http://127.0.0.1:${emulatorPort}/`);
    expect(output).toContain('start-test-admin-token');

    const page = await fetch(`http://127.0.0.1:${port}/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const inbox = await fetch(`http://127.0.0.1:${emulatorPort}/`);
    expect(inbox.status).toBe(200);

    const to = '+14155552671';
    const started = await fetch(`http://127.0.0.1:${port}/start-verify`, { method: 'POST', body: new URLSearchParams({ to }) });
    const { verification } = (await started.json()) as { verification: string };
    expect(started.status).toBe(200);
    const { messages } = (await (await fetch(`http://127.0.0.1:${emulatorPort}/emulator/v1/messages?to=${encodeURIComponent(to)}`)).json()) as { messages: Array<{ code: string }> };
    const checked = await fetch(`http://127.0.0.1:${port}/check-verify`, { method: 'POST', body: new URLSearchParams({ code: messages[0].code, verification }) });
    expect(checked.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/index.html`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${emulatorPort}/`)).rejects.toThrow();
  }, 60000);
});

describe('npm run start:twilio', () => {
  it('names each missing value of the committed (blank) .env and exits non-zero', () => {
    const result = spawnSync(process.execPath, [join(root, 'build', 'start-twilio.js')], { cwd: root, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(1);
    for (const name of ['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_SERVICE_SID']) expect(result.stderr).toContain(name);
  });
});
