// What `npm start` hands the functions: every setting of the configuration (src/settings.ts,
// the table `.env.example` is rendered from, with which ones are secrets) taken from the shell or from a
// git-ignored `.env.local`, the shell winning. Credentials and the Verify Service are the
// emulator's own: those names are wired by the local stack and cannot be overridden here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { SETTINGS } from '../src/settings';

/** Wired to the emulator by scripts/local-stack.ts. */
const WIRED_BY_LOCAL_STACK = [
  'ACCOUNT_SID',
  'AUTH_TOKEN',
  'VERIFY_SERVICE_SID',
  'SYNC_SERVICE_SID',
  'VERIFY_EMULATOR_HOST',
];

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
  /** Values the caller supplies when a setting is unset (e.g. a key generated for the session), with how to label them. */
  fallbacks?: Record<string, { value: string; label: string }>;
}

export function resolveLocalSettings(options: ResolveOptions): LocalSettings {
  const localPath = options.envLocalPath ?? join(options.projectRoot, '.env.local');
  const local = existsSync(localPath) ? parseEnv(readFileSync(localPath, 'utf8')) : {};
  const env: Record<string, string> = {};
  const summary: string[] = [];
  for (const { name, format, whenBlank } of SETTINGS) {
    const secret = format === 'secret';
    if (WIRED_BY_LOCAL_STACK.includes(name)) continue;
    const fromShell = options.shell[name];
    const fromFile = local[name];
    const [value, source] =
      fromShell !== undefined && fromShell.trim() !== ''
        ? [fromShell, 'shell']
        : fromFile !== undefined && fromFile.trim() !== ''
          ? [fromFile, '.env.local']
          : [undefined, 'default'];
    if (value !== undefined) env[name] = value;
    const fallback = value === undefined ? options.fallbacks?.[name] : undefined;
    const shown =
      value !== undefined
        ? `${secret ? `(set, ${value.length} characters)` : value}   [${source}]`
        : fallback
          ? `${secret ? '' : `${fallback.value}   `}(${fallback.label})`
          : `${whenBlank ?? ''}   (default)`;
    summary.push(`${name.padEnd(22)} ${shown.trim()}`);
  }
  const ignored = WIRED_BY_LOCAL_STACK.filter((name) => (options.shell[name] ?? local[name] ?? '').trim() !== '');
  if (ignored.length > 0)
    summary.push(
      `(${ignored.join(', ')}: ignored, npm start always uses the emulator's; use npm run start:twilio for real Twilio)`,
    );
  return { env, summary };
}
