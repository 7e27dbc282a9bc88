import * as z from 'zod/mini';
import { AppError } from './domain/app-error';
import { CHANNELS, type Channel } from './domain/channels';
import {
  DEFAULT_CHANNEL_FALLBACK,
  DEFAULT_RESEND_COOLDOWNS,
  parseChannelOrder,
  parseCooldowns,
} from './domain/send-schedule';

// Plain text settings share one schema instance (zod schemas are immutable): every schema
// built at load is paid again by each cold start.
const text = z.optional(z.string());
const trimmed = z.optional(z.string().check(z.trim()));

/** Whole milliseconds from 500 to 9000; twilio-run hands blank .env values over as '' (= default). */
const isTimeout = (v: string) =>
  v.trim() === '' || (/^\s*\d{3,4}\s*$/.test(v) && Number(v) >= 500 && Number(v) <= 9000);

/** The environment every function reads; validated once per distinct set of values. */
const configSchema = z.object({
  VERIFY_SERVICE_SID: trimmed,
  SYNC_SERVICE_SID: trimmed,
  ADMIN_TOKEN: text,
  VERIFY_EMULATOR_HOST: trimmed,
  VERIFY_TIMEOUT_MS: z.optional(z.string().check(z.refine(isTimeout))),
  ALLOWED_ORIGINS: text,
  ALLOWED_COUNTRIES: text,
  VERIFY_RATE_LIMITS: text,
  CHANNEL_FALLBACK: text,
  RESEND_COOLDOWNS: text,
  WHATSAPP_SMS_FALLBACK: text,
  DOMAIN_NAME: text,
  SIGNING_SECRET: text,
  CHECK_BY_TO: text,
  AUTH_TOKEN: text,
  TOKEN_SIGNING_KEY: text,
  TOKEN_PREVIOUS_KEYS: text,
  TOKEN_AUDIENCE: text,
  TOKEN_TTL: text,
  TOTP_ISSUER: text,
});

export interface Config {
  serviceSid?: string;
  /** The Twilio Sync Service (IS…) holding send locks, budgets and single-use records. */
  syncServiceSid?: string;
  adminToken?: string;
  emulatorHost?: string;
  /** Kept well under the Functions runtime's 10 s limit so we can still answer. */
  timeoutMs: number;
  allowedOrigins: readonly string[];
  /** Destination countries for phone channels (ISO alpha-2), or `*` for all. */
  allowedCountries: readonly string[];
  /** Meter sends with Verify's Programmable Rate Limits (the service must have them). On unless `false`. */
  rateLimits: boolean;
  /** Let /check-verify take `to` instead of the handle (an oracle and a shared guess budget: off by default). */
  checkByTo: boolean;
  /** Resends move along this order (skipping channels we have no destination for). */
  channelFallback: readonly Channel[];
  /** Seconds before the 1st, 2nd, … resend; the last value repeats. */
  resendCooldowns: readonly number[];
  /** Send by SMS at once when Verify refuses WhatsApp (channel disabled / not set up). */
  whatsappSmsFallback: boolean;
  domainName?: string;
  /** Key material for handles and subject ids (see src/security/derived-keys.ts). */
  signingSecret?: string;
  /** The account's auth token: the key material when SIGNING_SECRET is blank. */
  authToken?: string;
  /** Private key (JWK or PKCS#8 PEM) that signs proof tokens; parsed by src/tokens only. */
  tokenSigningKey?: string;
  /** Public keys of earlier signing keys, still published on /jwks and accepted. */
  tokenPreviousKeys?: string;
  /** The `aud` of proof tokens: required to issue them. */
  tokenAudience?: string;
  /** Seconds a proof token is valid (60–3600). */
  tokenTtl: number;
  /** The label an authenticator app shows before the masked destination (TOTP factors' FriendlyName). */
  totpIssuer?: string;
}

/** SMS pumping targets far-away premium routes: only the home country unless configured. */
export const DEFAULT_ALLOWED_COUNTRIES = ['US'];

export const DEFAULT_TIMEOUT_MS = 5000;

export const DEFAULT_TOKEN_TTL = 600;
const MAX_TOKEN_TTL = 3600;
const parseTokenTtl = (v: string) =>
  /^\s*\d{1,4}\s*$/.test(v) && Number(v) >= 60 && Number(v) <= MAX_TOKEN_TTL ? Number(v) : undefined;

/** Every on/off setting reads the same words; anything else is refused rather than guessed at. */
const BOOLEAN_WORDS = 'true or false (also on/off, yes/no, 1/0)';
const parseBoolean = (v: string) =>
  /^\s*(1|true|on|yes)\s*$/i.test(v) ? true : /^\s*(0|false|off|no)\s*$/i.test(v) ? false : undefined;

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The environment variables the functions read (src/settings.ts describes each). */
export const CONFIG_KEYS = Object.keys(configSchema.shape);
// A warm runtime invokes the same function again and again with the same environment:
// validating it once per distinct set of values keeps that work off the hot path.
let cached: { values: unknown[]; config: Config } | undefined;

function sameValues(env: Record<string, unknown>, values: readonly unknown[]): boolean {
  for (let i = 0; i < CONFIG_KEYS.length; i++) if (env[CONFIG_KEYS[i]] !== values[i]) return false;
  return true;
}

export function readConfig(env: Record<string, unknown>): Config {
  if (cached && sameValues(env, cached.values)) return cached.config;
  const config = parseConfig(env);
  cached = { values: CONFIG_KEYS.map((name) => env[name]), config };
  return config;
}

function parseConfig(env: Record<string, unknown>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const name = String(parsed.error.issues[0].path[0]);
    throw new AppError('server_misconfigured', { message: `${name} has an invalid value.` });
  }
  const e = parsed.data;
  return {
    serviceSid: blankToUndefined(e.VERIFY_SERVICE_SID),
    syncServiceSid: blankToUndefined(e.SYNC_SERVICE_SID),
    adminToken: blankToUndefined(e.ADMIN_TOKEN),
    emulatorHost: blankToUndefined(e.VERIFY_EMULATOR_HOST),
    timeoutMs: blankToUndefined(e.VERIFY_TIMEOUT_MS) === undefined ? DEFAULT_TIMEOUT_MS : Number(e.VERIFY_TIMEOUT_MS),
    allowedOrigins: readOrigins(e.ALLOWED_ORIGINS),
    allowedCountries: readCountries(e.ALLOWED_COUNTRIES),
    rateLimits: setting('VERIFY_RATE_LIMITS', e.VERIFY_RATE_LIMITS, parseBoolean, true, BOOLEAN_WORDS),
    checkByTo: setting('CHECK_BY_TO', e.CHECK_BY_TO, parseBoolean, false, BOOLEAN_WORDS),
    channelFallback: setting(
      'CHANNEL_FALLBACK',
      e.CHANNEL_FALLBACK,
      parseChannelOrder,
      DEFAULT_CHANNEL_FALLBACK,
      `a comma-separated list of ${CHANNELS.join(', ')}`,
    ),
    resendCooldowns: setting(
      'RESEND_COOLDOWNS',
      e.RESEND_COOLDOWNS,
      parseCooldowns,
      DEFAULT_RESEND_COOLDOWNS,
      'comma-separated seconds (0–3600)',
    ),
    whatsappSmsFallback: setting('WHATSAPP_SMS_FALLBACK', e.WHATSAPP_SMS_FALLBACK, parseBoolean, true, BOOLEAN_WORDS),
    domainName: e.DOMAIN_NAME,
    signingSecret: blankToUndefined(e.SIGNING_SECRET),
    authToken: blankToUndefined(e.AUTH_TOKEN),
    tokenSigningKey: blankToUndefined(e.TOKEN_SIGNING_KEY),
    tokenPreviousKeys: blankToUndefined(e.TOKEN_PREVIOUS_KEYS),
    tokenAudience: blankToUndefined(e.TOKEN_AUDIENCE)?.trim(),
    tokenTtl: setting(
      'TOKEN_TTL',
      e.TOKEN_TTL,
      parseTokenTtl,
      DEFAULT_TOKEN_TTL,
      `whole seconds from 60 to ${MAX_TOKEN_TTL}`,
    ),
    totpIssuer: blankToUndefined(e.TOTP_ISSUER)?.trim(),
  };
}

/** Parses an optional setting, falling back to its default when blank. */
function setting<T>(
  name: string,
  value: string | undefined,
  parse: (v: string) => T | undefined,
  fallback: T,
  expected: string,
): T {
  if (blankToUndefined(value) === undefined) return fallback;
  const parsed = parse(value as string);
  if (parsed === undefined) throw new AppError('server_misconfigured', { message: `${name} must be ${expected}.` });
  return parsed;
}

/**
 * Exact web origins (`https://app.example.com`). A wildcard or anything else would make the
 * CORS answer echo what a request claims: refused at start-up rather than guessed at.
 */
function readOrigins(value: string | undefined): readonly string[] {
  const origins = list(value);
  const bad = origins.find((o) => !/^https?:\/\/[^/\s*]+$/i.test(o));
  if (bad)
    throw new AppError('server_misconfigured', {
      message: 'ALLOWED_ORIGINS must list exact origins such as https://app.example.com (no *, no path).',
    });
  return origins;
}

function readCountries(value: string | undefined): readonly string[] {
  const countries = list(value).map((c) => c.toUpperCase());
  if (countries.length === 0) return DEFAULT_ALLOWED_COUNTRIES;
  const bad = countries.find((c) => c !== '*' && !/^[A-Z]{2}$/.test(c));
  if (bad)
    throw new AppError('server_misconfigured', {
      message: 'ALLOWED_COUNTRIES must list ISO alpha-2 codes (e.g. US,CA,GB) or *.',
    });
  return countries;
}

/** The Verify Service every verification goes to; missing is the operator's fault. */
export function requireServiceSid(config: Config): string {
  const sid = config.serviceSid;
  if (!sid) {
    throw new AppError('server_misconfigured', {
      message: 'VERIFY_SERVICE_SID is not set. Create a service with /create-service and set it.',
    });
  }
  if (!/^VA[0-9a-fA-F]{32}$/.test(sid)) {
    throw new AppError('server_misconfigured', {
      message: 'VERIFY_SERVICE_SID must be a Verify Service SID (VA followed by 32 hex characters).',
    });
  }
  return sid;
}

/** SYNC_SERVICE_SID, checked: the routes that keep state refuse to run without it (never stateless instead). */
export function requireSyncServiceSid(config: Config): string {
  const sid = config.syncServiceSid;
  if (!sid) {
    throw new AppError('server_misconfigured', {
      message:
        'SYNC_SERVICE_SID is not set: call POST /create-service (it finds or creates the Sync Service) and set it.',
    });
  }
  if (!/^IS[0-9a-fA-F]{32}$/.test(sid)) {
    throw new AppError('server_misconfigured', {
      message: 'SYNC_SERVICE_SID must be a Sync Service SID (IS followed by 32 hex characters).',
    });
  }
  return sid;
}
