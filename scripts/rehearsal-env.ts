// Which settings `npm run deploy:rehearse` rehearses with. A fresh clone has no .env, and the
// rehearsal is among the README's first commands: it then rehearses with well-formed placeholders
// (and says so), so what a deploy would upload can be seen before any account exists.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shaped as Twilio's (AC/VA/IS + 32 hex, a 32-character token), plainly not real. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  AUTH_TOKEN: '0'.repeat(32),
  VERIFY_SERVICE_SID: `VA${'0'.repeat(32)}`,
  SYNC_SERVICE_SID: `IS${'0'.repeat(32)}`,
};

export interface RehearsalEnv {
  path: string;
  /** True when the placeholders stand in for a .env. */
  placeholders: boolean;
  /** What to tell the person, when the choice was not theirs. */
  note?: string;
}

export interface RehearsalEnvOptions {
  /** `--env path`: that file, or an error if it is missing. */
  envArg?: string;
  /** `--placeholders`: the placeholders even when .env exists. */
  forcePlaceholders: boolean;
  /** The project's .env. */
  defaultPath: string;
}

/** Writes the placeholders to a private temp file and returns its path. */
function writePlaceholderEnv(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rehearsal-placeholders-')), '.env');
  writeFileSync(
    file,
    `${Object.entries(PLACEHOLDERS)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  return file;
}

export function chooseRehearsalEnv(options: RehearsalEnvOptions): RehearsalEnv {
  if (options.envArg !== undefined) {
    if (!existsSync(options.envArg))
      throw new Error(
        `No ${options.envArg}: pass an existing file to --env, or leave --env out to rehearse with placeholders.`,
      );
    return { path: options.envArg, placeholders: false };
  }
  if (!options.forcePlaceholders && existsSync(options.defaultPath))
    return { path: options.defaultPath, placeholders: false };
  const names = Object.keys(PLACEHOLDERS).join(', ');
  return {
    path: writePlaceholderEnv(),
    placeholders: true,
    note: options.forcePlaceholders
      ? `Rehearsing with placeholders (${names}), not .env, as --placeholders asks.`
      : `No .env yet: rehearsing with well-formed placeholders (${names}; nothing real, nothing leaves this machine). ` +
        'To rehearse your own settings: cp .env.example .env, fill it in, and run this again.',
  };
}
