/**
 * Every setting of the project, once: its name, what it means, its format for Twilio's `.env`
 * tooling, whether it is a secret, and what leaving it blank means. `.env.example` is rendered
 * from this table by the build (`renderEnvExample`), `npm start`'s Settings banner reads it
 * (scripts/local-settings.ts), and tests hold src/config.ts's schema and docs/configuration.md's
 * table to it. Tools and the build import it; no function does (the descriptions stay out of
 * the bundles).
 */
import { DEFAULT_ALLOWED_COUNTRIES, DEFAULT_TIMEOUT_MS, DEFAULT_TOKEN_TTL } from './config';
import { DEFAULT_CHANNEL_FALLBACK, DEFAULT_RESEND_COOLDOWNS } from './domain/send-schedule';

export interface Setting {
  name: string;
  /** The `# description:` line of `.env.example`. */
  description: string;
  /** The `# format:` line (Twilio's .env conventions): `secret` values are masked wherever they are shown. */
  format: 'sid' | 'secret' | 'text' | 'number' | 'boolean' | 'list(text)' | 'list(number)';
  required: boolean;
  /** What the banner shows for an unset value (the value in force). */
  whenBlank?: string;
}

export const SETTINGS: readonly Setting[] = [
  {
    name: 'ACCOUNT_SID',
    description: 'Your Twilio Account SID (Console > Account Info)',
    format: 'sid',
    required: true,
  },
  {
    name: 'AUTH_TOKEN',
    description: 'Your Twilio Auth Token (Console > Account Info)',
    format: 'secret',
    required: true,
  },
  {
    name: 'VERIFY_SERVICE_SID',
    description: 'The Verify Service that sends the codes (VA…). Create one with POST /create-service.',
    format: 'sid',
    required: true,
  },
  {
    name: 'SYNC_SERVICE_SID',
    description:
      "The Twilio Sync Service (IS…) that holds send locks, guess budgets and single-use records shared by every instance. Required: without it the routes answer 500 server_misconfigured. POST /create-service finds or creates it; npm start seeds the emulator's.",
    format: 'sid',
    required: true,
    whenBlank: 'none',
  },
  {
    name: 'ADMIN_TOKEN',
    description: 'Bearer token that unlocks POST /create-service. Leave blank to keep admin routes closed.',
    format: 'secret',
    required: false,
    whenBlank: 'none: admin routes closed',
  },
  {
    name: 'ALLOWED_ORIGINS',
    description:
      'Origins allowed to call the functions from a browser (comma-separated, exact, e.g. https://app.example.com). Blank: same origin only.',
    format: 'list(text)',
    required: false,
    whenBlank: 'same origin only',
  },
  {
    name: 'ALLOWED_COUNTRIES',
    description: 'Destination countries for phone channels (ISO alpha-2, comma-separated; * for all). Default US.',
    format: 'list(text)',
    required: false,
    whenBlank: DEFAULT_ALLOWED_COUNTRIES.join(','),
  },
  {
    name: 'VERIFY_RATE_LIMITS',
    description:
      'Sends are metered with Verify rate limits per destination, number prefix and client key (default on; /create-service creates them). false turns this off and leaves guesses and sends unbounded across verifications.',
    format: 'boolean',
    required: false,
    whenBlank: 'true',
  },
  {
    name: 'SIGNING_SECRET',
    description:
      'Key material for verification handles (32+ random bytes, e.g. openssl rand -base64 32). Blank: derived from AUTH_TOKEN instead. Changing it invalidates handles in flight.',
    format: 'secret',
    required: false,
    whenBlank: 'derived from AUTH_TOKEN',
  },
  {
    name: 'CHECK_BY_TO',
    description:
      'true lets /check-verify take `to` instead of the verification handle (reveals whether a number has a code pending; default off).',
    format: 'boolean',
    required: false,
    whenBlank: 'false',
  },
  {
    name: 'CHANNEL_FALLBACK',
    description: 'The order resends move along (default sms,call,email).',
    format: 'list(text)',
    required: false,
    whenBlank: DEFAULT_CHANNEL_FALLBACK.join(','),
  },
  {
    name: 'RESEND_COOLDOWNS',
    description: 'Seconds before the 1st, 2nd, … resend (default 30,40,60,90,120).',
    format: 'list(number)',
    required: false,
    whenBlank: DEFAULT_RESEND_COOLDOWNS.join(','),
  },
  {
    name: 'WHATSAPP_SMS_FALLBACK',
    description: 'false to report Verify refusing WhatsApp instead of sending by SMS (default true).',
    format: 'boolean',
    required: false,
    whenBlank: 'true',
  },
  {
    name: 'VERIFY_TIMEOUT_MS',
    description:
      'How long to wait for Verify, in milliseconds (500–9000, default 5000); the Functions runtime stops at 10 s.',
    format: 'number',
    required: false,
    whenBlank: String(DEFAULT_TIMEOUT_MS),
  },
  {
    name: 'VERIFY_EMULATOR_HOST',
    description:
      'host:port of the local Verify emulator. Only for local development; refused unless served from localhost.',
    format: 'text',
    required: false,
  },
  {
    name: 'TOKEN_SIGNING_KEY',
    description:
      'Private key that signs proof tokens (a one-line JWK from `npm run keygen`, or a PKCS#8 PEM). Blank: no token is issued.',
    format: 'secret',
    required: false,
    whenBlank: 'none: no proof tokens',
  },
  {
    name: 'TOKEN_AUDIENCE',
    description:
      'The `aud` of proof tokens: an identifier of your backend (e.g. https://api.example.com). Required to issue tokens.',
    format: 'text',
    required: false,
  },
  {
    name: 'TOKEN_TTL',
    description: 'Seconds a proof token is valid (60–3600, default 600).',
    format: 'number',
    required: false,
    whenBlank: String(DEFAULT_TOKEN_TTL),
  },
  {
    name: 'TOKEN_PREVIOUS_KEYS',
    description:
      'Public keys of earlier signing keys, still published on /jwks during a rotation (JWK, JSON array of JWKs, or PEM blocks).',
    format: 'text',
    required: false,
    whenBlank: 'none',
  },
  {
    name: 'TOTP_ISSUER',
    description:
      'The label an authenticator app shows for a TOTP factor, before the masked destination (e.g. Acme). Blank: the masked destination alone.',
    format: 'text',
    required: false,
    whenBlank: 'none: the masked destination alone',
  },
];

const ENV_EXAMPLE_HEADER = [
  '# Configuration template for verify-functions: `cp .env.example .env`, then fill in .env',
  '# (git-ignored). Every value here is blank on purpose: never commit secrets. `npm start` ignores',
  '# both files and runs against the local emulator; `npm run start:twilio` and `npm run deploy`',
  '# read .env. Written by `npm run build` from src/settings.ts, the one table of settings: edit it there.',
];

/** `.env.example` as this table gives it (the build writes it; a test checks the committed file). */
export function renderEnvExample(): string {
  const blocks = SETTINGS.map((s) =>
    [`# description: ${s.description}`, `# format: ${s.format}`, `# required: ${s.required}`, `${s.name}=`].join('\n'),
  );
  return `${[ENV_EXAMPLE_HEADER.join('\n'), ...blocks].join('\n\n')}\n`;
}
