/**
 * Shared helpers for the hardening tests: calling a handler as the runtime would (without
 * per-call jest spies), capturing console output once per test, and the contract every
 * answer must honour (shape, status table, headers, one log line, CORS, no secret leaks).
 */
import type { NumberType } from 'libphonenumber-js/max';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, EMULATOR_SERVICE_SID, type Emulator } from '../../emulator';
import { ERROR_CODES } from '../../src/domain/error-codes';
import { contractViolation } from '../support/contract';
import { stateFor } from '../support/project-emulator';
import { describeError, safeStringify, type Answer } from '../support/call-handler';
import { SEALED_TOKEN_PATTERN } from '../../src/security/sealed-token';
import { MAX_HANDLE_LENGTH } from '../../src/security/verification-handle';
import { VERIFY_CHANNELS } from '../../twilio-facts/verify-channels';
export { buildEvent, callHandler, LogTap, type AnyHandler, type Answer } from '../support/call-handler';

export type Route =
  | 'start-verify'
  | 'check-verify'
  | 'create-service'
  | 'resend-verify'
  | 'verification-status'
  | 'cancel-verify';

/** A fresh random admin token per test process, so a leak check cannot pass by accident. */
export const ADMIN_TOKEN = `adm_${randomBytes(18).toString('hex')}`;
export const ALLOWED_ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
const ALLOWED_ORIGINS_ENV = ALLOWED_ORIGINS.join(', ');

/** The runtime context for the in-process path: the real SDK over the emulator's httpClient. */
export function inProcessContext(emulator: Emulator, env: Record<string, string | undefined> = {}) {
  return {
    DOMAIN_NAME: 'localhost:3000',
    VERIFY_SERVICE_SID: EMULATOR_SERVICE_SID,
    ADMIN_TOKEN,
    ALLOWED_ORIGINS: ALLOWED_ORIGINS_ENV,
    // The runtime hands every function the account's token: the handle key's fallback source.
    AUTH_TOKEN: EMULATOR_AUTH_TOKEN,
    // Thousands of sends to a few prefixes: the per-destination and prefix rate limits would
    // answer most of them 429 (the integration tests and tests/hardening/otp-guarantees cover them).
    VERIFY_RATE_LIMITS: 'false',
    ...env,
    ...stateFor(emulator),
    getTwilioClient: () => twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient }),
  };
}

const ERROR_KEYS = new Set(['code', 'message', 'field', 'twilioCode', 'retryAfter']);
const ERROR_TOP_LEVEL = new Set(['ok', 'error', 'status']);
const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);
const CHANNELS: readonly string[] = VERIFY_CHANNELS;
/** Masked phone `+1******2671` or masked email `j***@example.com`. */
const MASKED = /^(\+\d{1,3}\*+\d{0,4}|[^@\s]\*\*\*@[^@\s]+|\*\*\*)$/;
/** A sealed verification handle: a compact JWE (src/security/sealed-token.ts), at most MAX_HANDLE_LENGTH. */
const isHandle = (text: string) => SEALED_TOKEN_PATTERN.test(text) && text.length <= MAX_HANDLE_LENGTH;

function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 50) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value as object).every((v) => isPlainJson(v, depth + 1));
  }
  return false;
}

function successViolations(route: Route, status: number, body: Record<string, unknown>): string[] {
  const v: string[] = [];
  const want = (ok: boolean, what: string) => {
    if (!ok) v.push(`success shape: ${what}`);
  };
  const optionalChannel = (value: unknown) => value === undefined || CHANNELS.includes(String(value));
  const wholeSeconds = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
  if (route === 'start-verify' || route === 'resend-verify') {
    want(status === 200, 'status 200');
    want(wholeSeconds(body.retryAfter), 'retryAfter whole seconds');
    want(optionalChannel(body.nextChannel), 'nextChannel');
    want(isHandle(String(body.verification)), 'verification handle');
    want(body.sid === undefined, 'no Verify SID');
    want(typeof body.to === 'string' && MASKED.test(body.to), 'masked to');
    want(CHANNELS.includes(String(body.channel)), 'channel');
    want(body.status === 'pending', 'status pending');
    want(
      Number.isInteger(body.sendCodeAttempts) &&
        (body.sendCodeAttempts as number) >= 1 &&
        (body.sendCodeAttempts as number) <= 5,
      'sendCodeAttempts 1..5',
    );
  } else if (route === 'verification-status') {
    want(status === 200, 'status 200');
    want(body.sid === undefined, 'no Verify SID');
    want(typeof body.status === 'string', 'status');
    want(typeof body.to === 'string' && MASKED.test(body.to), 'masked to');
    want(
      Array.isArray(body.attempts) &&
        (body.attempts as unknown[]).every(
          (a) => typeof a === 'object' && a !== null && typeof (a as { time?: unknown }).time === 'string',
        ),
      'attempts',
    );
    want(wholeSeconds(body.retryAfter), 'retryAfter whole seconds');
    want(optionalChannel(body.nextChannel), 'nextChannel');
  } else if (route === 'cancel-verify') {
    want(status === 200, 'status 200');
    want(body.status === 'canceled', 'status canceled');
    want(
      Object.keys(body).sort().join() === 'ok,status',
      'nothing but ok and status (never reveals whether one existed)',
    );
  } else if (route === 'check-verify') {
    want(status === 200, 'status 200');
    want(body.status === 'approved', 'status approved');
    want(body.sid === undefined, 'no Verify SID');
    want(typeof body.to === 'string' && MASKED.test(body.to), 'masked to');
    want(CHANNELS.includes(String(body.channel)), 'channel');
  } else {
    want(status === (body.created ? 201 : 200), '201 created / 200 existing');
    want(typeof body.created === 'boolean', 'created boolean');
    want(SID('VA').test(String(body.sid)), 'sid VA…');
    want(typeof body.friendlyName === 'string', 'friendlyName');
    want(Number.isInteger(body.codeLength), 'codeLength');
    want(Array.isArray(body.rateLimits), 'rateLimits');
  }
  return v;
}

export interface ContractExpectations {
  route: Route;
  /** The Origin the request carried (first value if several). */
  origin?: string;
  allowedOrigins: readonly string[];
  /** True when the request carried Access-Control-Request-Method. */
  preflight: boolean;
  /** The deployment's own host (DOMAIN_NAME in the fuzz contexts). */
  ownHost?: string;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Everything wrong with an answer, as short stable labels (empty when it honours the contract). */
export function contractViolations(answer: Answer, expect: ContractExpectations): string[] {
  const v: string[] = [];
  if (answer.failure) v.push(answer.failure.split('\n')[0]);
  if (answer.callbacks !== 1) v.push(`callback called ${answer.callbacks} times`);
  if (!answer.isResponse) {
    v.push('no Twilio.Response');
    return v;
  }
  const { status, headers } = answer;
  if (!Number.isInteger(status) || status < 100 || status > 599) v.push(`bad status ${status}`);
  if (status >= 500)
    v.push(`5xx for input: ${status} ${String((answer.body as { error?: { code?: string } })?.error?.code)}`);

  // CORS: exactly the allowed origins, echoed, never *, never credentials.
  const originAllowed = expect.origin !== undefined && expect.allowedOrigins.includes(expect.origin);
  const acao = headers['Access-Control-Allow-Origin'];
  if (Object.keys(headers).some((h) => h.toLowerCase() === 'access-control-allow-credentials'))
    v.push('CORS: Allow-Credentials present');
  if (acao === '*') v.push('CORS: wildcard origin');
  if (originAllowed) {
    if (acao !== expect.origin) v.push('CORS: allowed origin not echoed');
    if (!/\bOrigin\b/.test(headers.Vary ?? '')) v.push('CORS: Vary: Origin missing');
  } else if (Object.keys(headers).some((h) => h.toLowerCase().startsWith('access-control-'))) {
    v.push('CORS: headers for a disallowed origin');
  }

  // A browser request from a foreign origin is refused before anything else is looked at
  // (after the method); the deployment's own origin, allowed origins and no Origin are not.
  const foreign =
    expect.origin !== undefined && !originAllowed && hostOf(expect.origin) !== (expect.ownHost ?? 'localhost:3000');
  const errorCode = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
  if (!expect.preflight && status !== 405) {
    if (foreign && errorCode !== 'origin_not_allowed') v.push(`foreign origin answered ${status} ${String(errorCode)}`);
    if (!foreign && errorCode === 'origin_not_allowed') v.push('own, allowed or absent origin refused');
  }

  if (expect.preflight) {
    if (status !== 204) v.push(`preflight answered ${status}`);
    if (answer.body !== undefined) v.push('preflight with a body');
  } else {
    if (status === 204) v.push('204 without a preflight');
    if (headers['Content-Type'] !== 'application/json') v.push(`Content-Type ${String(headers['Content-Type'])}`);
    if (headers['Cache-Control'] !== 'no-store') v.push('Cache-Control not no-store');
    v.push(...bodyViolations(expect.route, status, answer.body, headers));
  }
  v.push(...logViolations(expect.route, answer));
  return v;
}

function bodyViolations(route: Route, status: number, body: unknown, headers: Record<string, string>): string[] {
  const v: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
  if (!isPlainJson(body)) v.push('body is not plain JSON');
  // The OpenAPI document (/openapi.json) must describe every answer, fuzzed ones included.
  const drift = contractViolation({ path: route, status, body });
  if (drift) v.push(`OpenAPI: ${drift}`);
  const b = body as Record<string, unknown>;
  if (b.ok === true) return v.concat(successViolations(route, status, b));
  if (b.ok !== false) return v.concat('body.ok is neither true nor false');
  for (const key of Object.keys(b)) if (!ERROR_TOP_LEVEL.has(key)) v.push(`error body: unexpected key ${key}`);
  const error = b.error as Record<string, unknown> | undefined;
  if (typeof error !== 'object' || error === null) return v.concat('error body: no error object');
  for (const key of Object.keys(error)) if (!ERROR_KEYS.has(key)) v.push(`error: unexpected key ${key}`);
  const code = error.code;
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return v.concat(`error.code not documented: ${String(code)}`);
  const documented = ERROR_CODES[code as keyof typeof ERROR_CODES].status;
  if (documented !== status) v.push(`status ${status} does not match ${code} (${documented})`);
  if (typeof error.message !== 'string' || error.message.length === 0) v.push('error.message not a string');
  if (error.field !== undefined && typeof error.field !== 'string') v.push('error.field not a string');
  if (error.twilioCode !== undefined && !Number.isInteger(error.twilioCode)) v.push('error.twilioCode not an integer');
  if (error.retryAfter !== undefined) {
    if (!Number.isInteger(error.retryAfter) || (error.retryAfter as number) < 0)
      v.push('error.retryAfter not a whole number');
    if (headers['Retry-After'] !== String(error.retryAfter)) v.push('Retry-After header differs from retryAfter');
  }
  if (code === 'unauthorized' && headers['WWW-Authenticate'] !== 'Bearer') v.push('401 without WWW-Authenticate');
  if (code === 'method_not_allowed' && !headers.Allow) v.push('405 without Allow');
  if (b.status !== undefined && typeof b.status !== 'string') v.push('error body: status not a string');
  return v;
}

function logViolations(route: Route, answer: Answer): string[] {
  if (answer.logs.length !== 1) return [`${answer.logs.length} log lines (want exactly 1)`];
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(answer.logs[0]) as Record<string, unknown>;
  } catch {
    return ['log line is not JSON'];
  }
  const v: string[] = [];
  if (line.route !== route) v.push('log: wrong route');
  if (line.status !== answer.status) v.push('log: status differs from the response');
  const body = answer.body as { ok?: boolean; error?: { code?: string; twilioCode?: number } } | undefined;
  const outcome = answer.status === 204 ? 'preflight' : body?.ok ? 'ok' : body?.error?.code;
  if (line.outcome !== outcome) v.push(`log: outcome ${String(line.outcome)} differs from ${String(outcome)}`);
  if (typeof line.latencyMs !== 'number') v.push('log: latencyMs missing');
  if (line.twilioCode !== body?.error?.twilioCode) v.push('log: twilioCode differs from the response');
  if (line.to !== undefined && !(typeof line.to === 'string' && MASKED.test(line.to)))
    v.push('log: `to` is not masked');
  if ((line.level === 'error') !== answer.status >= 500) v.push('log: level does not follow status');
  const allowed = new Set(['level', 'route', 'status', 'outcome', 'latencyMs', 'twilioCode', 'to']);
  for (const key of Object.keys(line)) if (!allowed.has(key)) v.push(`log: unexpected key ${key}`);
  return v;
}

/** Response and log text with Twilio SIDs blanked, for leak checks (a SID's hex may contain any digits). */
export function observableText(answer: Answer): string {
  const text = `${safeStringify(answer.body)}\n${JSON.stringify(answer.headers)}\n${answer.logs.join('\n')}`;
  // A handle is random-looking ciphertext (any run of digits in it is chance): tests/unit/verification-handle
  // shows it holds neither the SID nor the destination in clear.
  return text
    .replace(/"verification":"[A-Za-z0-9_.-]+"/g, '"verification":"<handle>"')
    .replace(/\b[A-Z]{2}[0-9a-f]{32}\b/g, '<sid>');
}

/**
 * A run of 6+ digits outside SIDs and email domains: what a code or an unmasked number looks
 * like. Nothing we answer or log legitimately has one (masked numbers keep at most 4 digits
 * after the calling code; Twilio codes have 5).
 */
export function hasLongDigitRun(answer: Answer): boolean {
  return /\d{6,}/.test(observableText(answer).replace(/@[A-Za-z0-9.-]+/g, '@domain'));
}

export interface Secret {
  kind: 'code' | 'phone number' | 'email address' | 'admin token' | 'auth token';
  value: string;
}

/** Labels of the secrets that appear in the answer or its log lines. */
export function leakViolations(answer: Answer, secrets: readonly Secret[]): string[] {
  const text = observableText(answer);
  const v: string[] = [];
  for (const secret of secrets) {
    if (secret.value.length >= 4 && text.includes(secret.value)) v.push(`leak: ${secret.kind}`);
  }
  return v;
}

/** E.164 without the plus: what a leak of the full number looks like in any formatting. */
export const digitsOf = (e164: string) => e164.replace(/\D/g, '');

/** Counts per kind plus the smallest example input, so one run reports every defect class. */
export class ViolationLog {
  readonly byKind = new Map<string, { count: number; example: string }>();

  add(kinds: readonly string[], input: unknown): void {
    for (const kind of new Set(kinds)) {
      const example = describeInput(input);
      const seen = this.byKind.get(kind);
      if (!seen) this.byKind.set(kind, { count: 1, example });
      else {
        seen.count += 1;
        if (example.length < seen.example.length) seen.example = example;
      }
    }
  }

  summary(): Record<string, { count: number; example: string }> {
    return Object.fromEntries(this.byKind);
  }
}

function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(preview(input, 0));
    return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
  } catch (err) {
    return `<unserialisable input: ${describeError(err)}>`;
  }
}

/** A readable, bounded copy: long strings cut, deep nesting summarised, `__proto__` kept as a key. */
function preview(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 60)}…(${value.length} chars)` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 6) {
    let levels = 0;
    let cursor: unknown = value;
    while (typeof cursor === 'object' && cursor !== null && levels < 100_000) {
      cursor = Array.isArray(cursor) ? cursor[0] : Object.values(cursor)[0];
      levels += 1;
    }
    return `<${levels} more levels>`;
  }
  if (Array.isArray(value))
    return value.length > 20
      ? [...value.slice(0, 5).map((v) => preview(v, depth + 1)), `…(${value.length} items)`]
      : value.map((v) => preview(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: preview(v, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

export class Histogram {
  readonly counts: Record<string, number> = {};
  add(key: string | number): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
  get(key: string | number): number {
    return this.counts[key] ?? 0;
  }
}

/** Writes a JSON summary under test-results/ (git-ignored). */
export function writeSummary(name: string, summary: unknown): string {
  const dir = join(__dirname, '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

/** Object.prototype's own keys, to prove a run left it untouched. */
export const prototypeSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/**
 * The fuzz seed: FUZZ_SEED when given (to replay a failure); in CI a fixed one, so a landing
 * is judged on the same 10,000 inputs every time; otherwise a fresh one, so local runs keep
 * exploring. Each run prints its seed.
 */
export function fuzzSeed(): number {
  if (process.env.FUZZ_SEED) return Number(process.env.FUZZ_SEED);
  if (process.env.CI) return 20261126;
  return Math.floor(Math.random() * 2 ** 31);
}

// The number-type policy restated independently of src/ (an oracle must not import what it judges).
const NOT_FOR_MESSAGES = new Set<NumberType>([
  'PREMIUM_RATE',
  'SHARED_COST',
  'TOLL_FREE',
  'UAN',
  'VOICEMAIL',
  'PAGER',
  'FIXED_LINE',
]);
const NOT_FOR_CALLS = new Set<NumberType>(['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER']);

/** Number types a channel must never send to. */
export function refusedTypes(channel: string): ReadonlySet<NumberType> {
  return channel === 'call' ? NOT_FOR_CALLS : NOT_FOR_MESSAGES;
}

/** Secrets no answer or log may contain: most of the admin token (a near miss too) and the auth token. */
export function baseSecrets(): Secret[] {
  return [
    { kind: 'admin token', value: ADMIN_TOKEN.slice(4, 28) },
    { kind: 'auth token', value: EMULATOR_AUTH_TOKEN },
  ];
}

/** True when a request changed Object.prototype (against a snapshot taken before the run). */
export function prototypePolluted(before: string): boolean {
  return prototypeSnapshot() !== before || ({} as Record<string, unknown>).polluted !== undefined;
}
