import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/local-stack';

export type Stack = LocalStack;

const root = join(__dirname, '..', '..');

/** twilio-run + emulator on free loopback ports, serving the built dist/ (built if missing). */
export async function startStack(opts: { env?: Record<string, string>; testNumbers?: Record<string, string> } = {}): Promise<Stack> {
  if (!existsSync(join(root, 'dist', 'functions', 'start-verify.js'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
  }
  return startLocalStack({ projectRoot: root, port: 0, emulatorPort: 0, env: opts.env, testNumbers: opts.testNumbers });
}
