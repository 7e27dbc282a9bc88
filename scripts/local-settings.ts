// What `npm start` hands the functions: every setting of the configuration (the committed
// `.env.example` template lists them, with which ones are secrets) taken from the shell or from a
// git-ignored `.env.local`, the shell winning. Credentials and the Verify Service are the
// emulator's own: those names are wired by the local stack and cannot be overridden here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { DEFAULT_ALLOWED_COUNTRIES, DEFAULT_TIMEOUT_MS, DEFAULT_TOKEN_TTL } from '../src/config';
import { DEFAULT_CHANNEL_FALLBACK, DEFAULT_RESEND_COOLDOWNS } from '../src/domain/send-schedule';

/** What an unset setting means, shown beside `(default)` so the Settings block gives the value in force. */
export const DEFAULT_SHOWN: Record<string, string> = {
  SYNC_SERVICE_SID: 'none',
  ADMIN_TOKEN: 'none: admin routes closed',
  ALLOWED_ORIGINS: 'same origin only',
  ALLOWED_COUNTRIES: DEFAULT_ALLOWED_COUNTRIES.join(','),
  VERIFY_RATE_LIMITS: 'true',
  SIGNING_SECRET: 'derived from AUTH_TOKEN',
  CHECK_BY_TO: 'false',
  CHANNEL_FALLBACK: DEFAULT_CHANNEL_FALLBACK.join(','),
  RESEND_COOLDOWNS: DEFAULT_RESEND_COOLDOWNS.join(','),
  WHATSAPP_SMS_FALLBACK: 'true',
  VERIFY_TIMEOUT_MS: String(DEFAULT_TIMEOUT_MS),
  TOKEN_SIGNING_KEY: 'none: no proof tokens',
  TOKEN_TTL: String(DEFAULT_TOKEN_TTL),
  TOKEN_PREVIOUS_KEYS: 'none',
  TOTP_ISSUER: 'none: the masked destination alone',
};

/** Wired to the emulator by scripts/local-stack.ts. */
export const WIRED_BY_LOCAL_STACK = ['ACCOUNT_SID', 'AUTH_TOKEN', 'VERIFY_SERVICE_SID', 'SYNC_SERVICE_SID', 'VERIFY_EMULATOR_HOST'];

export interface SettingSpec {
  name: string;
  secret: boolean;
}

/** The settings the `.env.example` template declares, in its order, with its `# format: secret` marks. */
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
  /** Values the caller supplies when a setting is unset (e.g. a key generated for the session), with how to label them. */
  fallbacks?: Record<string, { value: string; label: string }>;
}

export function resolveLocalSettings(options: ResolveOptions): LocalSettings {
  const template = readFileSync(join(options.projectRoot, '.env.example'), 'utf8');
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
    const fallback = value === undefined ? options.fallbacks?.[name] : undefined;
    const shown =
      value !== undefined
        ? `${secret ? `(set, ${value.length} characters)` : value}   [${source}]`
        : fallback
          ? `${secret ? '' : `${fallback.value}   `}(${fallback.label})`
          : `${DEFAULT_SHOWN[name] ?? ''}   (default)`;
    summary.push(`${name.padEnd(22)} ${shown.trim()}`);
  }
  const ignored = WIRED_BY_LOCAL_STACK.filter((name) => (options.shell[name] ?? local[name] ?? '').trim() !== '');
  if (ignored.length > 0) summary.push(`(${ignored.join(', ')}: ignored, npm start always uses the emulator's; use npm run start:twilio for real Twilio)`);
  return { env, summary };
}
