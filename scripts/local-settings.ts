// What `npm start` hands the functions: every setting of the configuration (the committed
// `.env` template lists them, with which ones are secrets) taken from the shell or from a
// git-ignored `.env.local`, the shell winning. Credentials and the Verify Service are the
// emulator's own: those names are wired by the local stack and cannot be overridden here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** Wired to the emulator by scripts/local-stack.ts. */
export const WIRED_BY_LOCAL_STACK = ['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_SERVICE_SID', 'VERIFY_EMULATOR_HOST'];

export interface SettingSpec {
  name: string;
  secret: boolean;
}

/** The settings the `.env` template declares, in its order, with its `# format: secret` marks. */
export function declaredSettings(templateText: string): SettingSpec[] {
  const specs: SettingSpec[] = [];
  let secret = false;
  for (const raw of templateText.split('\n')) {
    const line = raw.trim();
    if (/^#\s*format:\s*secret\b/.test(line)) secret = true;
    const match = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match?.[1]) {
      specs.push({ name: match[1], secret });
      secret = false;
    }
  }
  return specs;
}

export interface LocalSettings {
  /** Non-blank values to pass to the functions. */
  env: Record<string, string>;
  /** One line per setting, secrets masked, saying where each value came from. */
  summary: string[];
}

export interface ResolveOptions {
  projectRoot: string;
  /** The shell's environment. */
  shell: NodeJS.ProcessEnv;
  /** Default: `.env.local` in the project root. */
  envLocalPath?: string;
}

export function resolveLocalSettings(options: ResolveOptions): LocalSettings {
  const template = readFileSync(join(options.projectRoot, '.env'), 'utf8');
  const localPath = options.envLocalPath ?? join(options.projectRoot, '.env.local');
  const local = existsSync(localPath) ? parseEnv(readFileSync(localPath, 'utf8')) : {};
  const env: Record<string, string> = {};
  const summary: string[] = [];
  for (const { name, secret } of declaredSettings(template)) {
    if (WIRED_BY_LOCAL_STACK.includes(name)) continue;
    const fromShell = options.shell[name];
    const fromFile = local[name];
    const [value, source] =
      fromShell !== undefined && fromShell.trim() !== '' ? [fromShell, 'shell'] : fromFile !== undefined && fromFile.trim() !== '' ? [fromFile, '.env.local'] : [undefined, 'default'];
    if (value !== undefined) env[name] = value;
    const shown = value === undefined ? '(default)' : secret ? `(set, ${value.length} characters)` : value;
    summary.push(`${name.padEnd(22)} ${shown}${value === undefined ? '' : `   [${source}]`}`);
  }
  const ignored = WIRED_BY_LOCAL_STACK.filter((name) => (options.shell[name] ?? local[name] ?? '').trim() !== '');
  if (ignored.length > 0) summary.push(`(${ignored.join(', ')}: ignored, npm start always uses the emulator's; use npm run start:twilio for real Twilio)`);
  return { env, summary };
}
