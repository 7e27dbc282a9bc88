// `emulator/cli.ts` bundled the way the build bundles it, run as a real process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createServer, type AddressInfo } from 'node:net';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID } from '../../emulator';

const dir = mkdtempSync(join(tmpdir(), 'verify-emulator-cli-'));
const bundle = join(dir, 'emulator.js');
const children: ChildProcess[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [join(__dirname, '../../emulator/cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = run.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output so far:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('listens on loopback, prints what a developer needs, serves, and stops cleanly on SIGTERM', async () => {
  const cli = run({ EMULATOR_PORT: '0', EMULATOR_TEST_NUMBERS: '+15005550006:123456' });
  const [, url] = await waitFor(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Press Ctrl-C/);
  const printed = cli.output();
  expect(printed).toContain(`${url}/`);
  expect(printed).toContain(EMULATOR_ACCOUNT_SID);
  expect(printed).toContain(EMULATOR_AUTH_TOKEN);
  expect(printed).toContain(EMULATOR_SERVICE_SID);
  expect(printed).toContain('+15005550006');

  const health = (await (await fetch(`${url}/emulator/v1/health`)).json()) as { ok: boolean };
  expect(health.ok).toBe(true);

  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
  expect(cli.output()).toContain('Received SIGTERM');
});

test.each([
  [{ EMULATOR_HOST: '0.0.0.0', EMULATOR_PORT: '0' }, /only listens on loopback/],
  [{ EMULATOR_PORT: 'abc' }, /EMULATOR_PORT must be a port number/],
  [{ EMULATOR_PORT: '0', EMULATOR_TEST_NUMBERS: '15005550006:1' }, /Invalid test number entry/],
])('refuses bad configuration %p and exits 1', async (env, message) => {
  const cli = run(env);
  expect(await cli.exited).toBe(1);
  expect(cli.output()).toMatch(message);
});

test('a port already in use names EMULATOR_PORT and exits 1', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const cli = run({ EMULATOR_PORT: String(port) });
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`port ${port} (EMULATOR_PORT) is already in use`);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
