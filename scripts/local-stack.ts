import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  EMULATOR_SYNC_SERVICE_SID,
  startEmulatorServer,
  type Emulator,
} from '../emulator';
import { routeMethods, startLocalFront } from './local-front';
import { RATE_LIMITS } from '../src/domain/rate-limits';
import { STATE_MAP_NAME } from '../src/state/state-store';

/** twilio-run + the Verify emulator, wired together, both on loopback. */
export interface LocalStack {
  baseUrl: string;
  /** twilio-run itself, behind the front: for tests of what the functions do with what the front would refuse. */
  functionsUrl: string;
  emulatorUrl: string;
  adminToken: string;
  emulator: Emulator;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  projectRoot: string;
  /** The public port (the local front before twilio-run); 0 picks a free one. */
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

/** `listen EADDRINUSE`, said in the words of the setting that chose the port (npm start's PORT, EMULATOR_PORT). */
function portInUseMessage(port: number, setting: 'PORT' | 'EMULATOR_PORT'): string {
  const what = setting === 'PORT' ? 'the page and the functions' : 'the Verify emulator';
  return `Port ${port} (${setting}, for ${what}) is already in use: stop what is listening there, or choose another port, e.g. ${setting}=${port + 100} npm start.`;
}

function explainListenError(error: unknown, port: number, setting: 'PORT' | 'EMULATOR_PORT'): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
    ? new Error(portInUseMessage(port, setting))
    : error;
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

/** True once something accepts connections on the port (no HTTP request, so nothing is logged). */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`twilio-run exited with ${child.exitCode}:\n${output()}`);
    if (await acceptsConnections(port)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`twilio-run did not listen on port ${port} within ${timeoutMs} ms:\n${output()}`);
}

/** twilio-run's start-up table and URLs (box drawing, its inner port, its hints). */
function isBannerLine(line: string, innerPort: number): boolean {
  return (
    /[│┌┐└┘─╭╮╰╯]/.test(line) ||
    line.includes(`:${innerPort}`) ||
    /Twilio functions available|Twilio assets available|Ctrl-C/i.test(line)
  );
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

/**
 * Starts the emulator in this process, twilio-run (serving dist/) as a child process on an
 * inner port, and the local front (scripts/local-front.ts) on the public port.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const adminToken = options.adminToken || randomBytes(24).toString('base64url');
  // The demo service comes with this project's rate limits, so VERIFY_RATE_LIMITS' default (on) works offline.
  // ... and a Sync Service with the functions' Map, so their shared state works offline too.
  const server = await startEmulatorServer({
    port: options.emulatorPort ?? 0,
    testNumbers: options.testNumbers,
    seedService: { rateLimits: RATE_LIMITS },
    seedSync: { maps: [STATE_MAP_NAME] },
  }).catch((error: unknown) => Promise.reject(explainListenError(error, options.emulatorPort ?? 0, 'EMULATOR_PORT')));
  const innerPort = await freePort();
  const envDir = mkdtempSync(join(tmpdir(), 'verify-functions-'));
  const envFile = join(envDir, '.env');
  const env: Record<string, string> = {
    ACCOUNT_SID: EMULATOR_ACCOUNT_SID,
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    SYNC_SERVICE_SID: EMULATOR_SYNC_SERVICE_SID,
    VERIFY_EMULATOR_HOST: `127.0.0.1:${server.port}`,
    ADMIN_TOKEN: adminToken,
    ...options.env,
  };
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );

  const twilioRun = require.resolve('twilio-run/bin/twilio-run.js', { paths: [options.projectRoot] });
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(options.projectRoot, 'scripts', 'bind-loopback.cjs'),
      twilioRun,
      'start',
      '--env',
      envFile,
      '--port',
      String(innerPort),
    ],
    { cwd: options.projectRoot, stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  // twilio-run's banner names its inner port, which nobody should call: it is kept (and shown
  // if start-up fails) but not printed. Afterwards, request logs and the functions' own
  // output go through when the output is inherited.
  let buffered = '';
  let ready = false;
  const onOutput = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    buffered = (buffered + chunk.toString()).slice(-20000);
    if (ready && options.output === 'inherit') {
      const text = chunk
        .toString()
        .split('\n')
        .filter((line) => !isBannerLine(line, innerPort))
        .join('\n');
      if (text.trim() !== '') stream.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  };
  child.stdout?.on('data', onOutput(process.stdout));
  child.stderr?.on('data', onOutput(process.stderr));

  let front: { port: number; close(): Promise<void> } | undefined;
  const close = async () => {
    await front?.close();
    await stopChild(child);
    await server.close();
    rmSync(envDir, { recursive: true, force: true });
  };
  try {
    await waitForPort(innerPort, child, options.startTimeoutMs ?? 30000, () => buffered);
    front = await startLocalFront({
      targetPort: innerPort,
      port: options.port ?? 0,
      routes: routeMethods(join(options.projectRoot, 'dist')),
    });
  } catch (err) {
    await close();
    throw explainListenError(err, options.port ?? 0, 'PORT');
  }
  // The banner follows the listen; give it a moment so it is not mistaken for a request log.
  setTimeout(() => (ready = true), 500).unref();
  const baseUrl = `http://127.0.0.1:${front.port}`;
  return {
    baseUrl,
    functionsUrl: `http://127.0.0.1:${innerPort}`,
    emulatorUrl: server.url,
    adminToken,
    emulator: server.emulator,
    close,
  };
}
