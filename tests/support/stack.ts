import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack';

export type Stack = LocalStack;

const root = join(__dirname, '..', '..');

/** twilio-run + emulator on free loopback ports, serving the built dist/ (built if a function is missing). */
export async function startStack(
  opts: { env?: Record<string, string>; testNumbers?: Record<string, string> } = {},
): Promise<Stack> {
  const functions = readdirSync(join(root, 'functions')).filter((name) => name.endsWith('.ts'));
  if (functions.some((name) => !existsSync(join(root, 'dist', 'functions', name.replace(/\.ts$/, '.js'))))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
  }
  return startLocalStack({ projectRoot: root, port: 0, emulatorPort: 0, env: opts.env, testNumbers: opts.testNumbers });
}

/**
 * One stack per test file: started before its tests, emptied (emulator reset) before each test,
 * closed after them all. `onStarted` hands the running stack to the file.
 */
export function useStack(onStarted: (stack: Stack) => void, opts: Parameters<typeof startStack>[0] = {}): void {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(opts);
    onStarted(stack);
  }, 60000);
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await fetch(`${(stack as Stack).emulatorUrl}/emulator/v1/reset`, { method: 'POST' });
  });
}
