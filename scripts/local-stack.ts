import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  startEmulatorServer,
  type Emulator,
} from '../emulator';
import { RATE_LIMITS } from '../src/domain/rate-limits';

/** twilio-run + the Verify emulator, wired together, both on loopback. */
export interface LocalStack {
  baseUrl: string;
  emulatorUrl: string;
  adminToken: string;
  emulator: Emulator;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  projectRoot: string;
  /** twilio-run's port; 0 picks a free one. */
  port?: number;
  /** The emulator's port; 0 picks a free one. */
  emulatorPort?: number;
  adminToken?: string;
  testNumbers?: Record<string, string>;
  /** Extra environment for the functions (e.g. ALLOWED_ORIGINS). */
  env?: Record<string, string>;
  /** Where twilio-run's output goes; default: kept in memory and shown if start-up fails. */
  output?: 'inherit' | 'buffer';
  startTimeoutMs?: number;
}

/** Asks the OS for a free loopback port (twilio-run cannot report one it picked itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`twilio-run exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`twilio-run did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the emulator in this process and twilio-run (serving dist/) as a child process. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const adminToken = options.adminToken || randomBytes(24).toString('base64url');
  // The demo service comes with this project's rate limits, so VERIFY_RATE_LIMITS' default (on) works offline.
  const server = await startEmulatorServer({ port: options.emulatorPort ?? 0, testNumbers: options.testNumbers, seedService: { rateLimits: RATE_LIMITS } });
  const port = options.port || (await freePort());
  const envDir = mkdtempSync(join(tmpdir(), 'verify-functions-'));
  const envFile = join(envDir, '.env');
  const env: Record<string, string> = {
    ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    VERIFY_EMULATOR_HOST: `127.0.0.1:${server.port}`,
    ADMIN_TOKEN: adminToken,
    ...options.env,
  };
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });

  const twilioRun = require.resolve('twilio-run/bin/twilio-run.js', { paths: [options.projectRoot] });
  const child = spawn(
    process.execPath,
    ['-r', join(options.projectRoot, 'scripts', 'bind-loopback.cjs'), twilioRun, 'start', '--env', envFile, '--port', String(port)],
    { cwd: options.projectRoot, stdio: options.output === 'inherit' ? 'inherit' : 'pipe', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => (buffered = (buffered + chunk.toString()).slice(-20000)));
  child.stderr?.on('data', (chunk: Buffer) => (buffered = (buffered + chunk.toString()).slice(-20000)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const close = async () => {
    await stopChild(child);
    await server.close();
    rmSync(envDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${baseUrl}/`, child, options.startTimeoutMs ?? 30000, () => buffered);
  } catch (err) {
    await close();
    throw err;
  }
  return { baseUrl, emulatorUrl: server.url, adminToken, emulator: server.emulator, close };
}
