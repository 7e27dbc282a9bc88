/**
 * fast-check generators for the functions' inputs: hostile strings, wrong types, deep and
 * huge bodies, prototype-pollution keys, random headers, and valid-looking values (phone
 * numbers of every country, emails, SIDs, codes) so that a good share of inputs really
 * reaches Verify (the emulator).
 */
import fc from 'fast-check';
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { VERIFY_LOCALES } from '../../twilio-facts/verify-locales';
import { ADMIN_TOKEN, ALLOWED_ORIGINS } from './support';

// ---------------------------------------------------------------- hostile strings

// Units are built once: fast-check prepares each distinct unit arbitrary (costly) on first use.
const CONTROL_UNIT = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const DIGIT_UNIT = fc.constantFrom(...'0123456789');
const HEX_UNIT = fc.constantFrom(...'0123456789abcdef');
/** Any code point, lone surrogates included (fast-check's 'binary' unit costs seconds to prepare). */
const CODE_POINT_UNIT = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp)));
/** Letters followed by combining marks, emoji with modifiers and joiners: multi-code-point graphemes. */
const GRAPHEME_UNIT = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0x61, max: 0x7a }), fc.integer({ min: 0x300, max: 0x36f }))
    .map(([a, m]) => String.fromCodePoint(a, m)),
  fc
    .tuple(fc.integer({ min: 0x1f466, max: 0x1f469 }), fc.integer({ min: 0x1f3fb, max: 0x1f3ff }))
    .map(([e, t]) => String.fromCodePoint(e, t)),
  fc.constantFrom('👩‍👩‍👧', '🇺🇸', 'ก่', 'नि', '\r\n'),
);
const controlChars = fc.string({ unit: CONTROL_UNIT, minLength: 1, maxLength: 4 });

const NASTY = [
  '',
  ' ',
  '  \t ',
  '\u0000',
  '\u007f',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\u200B',
  '\uD800',
  '\uDFFF',
  '\u202E',
  'null',
  'undefined',
  'NaN',
  'true',
  'false',
  '0',
  '-1',
  '1e309',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  "' OR '1'='1' --",
  '"; DROP TABLE x; --',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%00',
  '%2B14155552671',
  '${7*7}',
  '{{7*7}}',
  '\\u0000',
  '💩',
  'é',
  'ﬀ',
  'İ',
  '٣',
  '＋１４１５５５５２６７１',
  '\r\nSet-Cookie: x=1',
  'Bearer',
  'VE',
  'VA',
];

/** Any string a client could send, including huge ones (built by repetition, which is cheap). */
const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: CODE_POINT_UNIT, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: GRAPHEME_UNIT, maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), controlChars, fc.string({ maxLength: 10 }))
      .map((p) => p.join('')),
  },
  // Long and huge (past the 8 KB request guard): built by repetition, which is cheap.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: CODE_POINT_UNIT, minLength: 1, maxLength: 4 }), fc.integer({ min: 20, max: 6_000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);

// ---------------------------------------------------------------- valid-looking values

const hex = (n: number) => fc.string({ unit: HEX_UNIT, minLength: n, maxLength: n });
export const sidLike = fc.oneof(
  hex(32).map((h) => `VE${h}`),
  hex(32).map((h) => `VE${h.toUpperCase()}`),
  hex(32).map((h) => `VA${h}`),
  hex(31).map((h) => `VE${h}`),
  hex(33).map((h) => `VE${h}`),
  hex(32).map((h) => ` VE${h} `),
);
const digits = (min: number, max: number) => fc.string({ unit: DIGIT_UNIT, minLength: min, maxLength: max });

const codeLike = fc.oneof(
  digits(6, 6),
  digits(6, 6).map((d) => `${d.slice(0, 3)} ${d.slice(3)}`),
  digits(6, 6).map((d) => `${d.slice(0, 3)}-${d.slice(3)}`),
  digits(4, 10),
  fc.stringMatching(/^[0-9A-Za-z]{4,10}$/),
  digits(0, 3),
  digits(11, 40),
);

/** Mobile example numbers for every country libphonenumber knows, E.164. */
export const EXAMPLE_MOBILES: readonly string[] = [
  ...new Set(
    getCountries()
      .map((c) => {
        const national = (mobileExamples as Record<string, string>)[c];
        return national ? parsePhoneNumberFromString(national, c as CountryCode)?.number : undefined;
      })
      .filter((n): n is NonNullable<typeof n> => Boolean(n))
      .map(String),
  ),
];

/** Types the allow-list and type policy must refuse (checked in the fuzz test's setup). */
export const PREMIUM_OR_TOLL_FREE = ['+19002530000', '+18002530000', '+449098790000', '+448712345678', '+33899123456'];
export const LANDLINES = ['+442079460958'];

// A small block of numbers too, so re-sends, send limits and prefix rate limits happen.
const usNumber = fc.oneof(
  digits(4, 4).map((d) => `+1415555${d}`),
  digits(2, 2).map((d) => `+14155550${d}0`),
);

/** Phone numbers as people and clients type them, valid and not. */
export const phoneLike: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: usNumber },
  { weight: 2, arbitrary: digits(4, 4).map((d) => `(415) 555-${d}`) },
  { weight: 1, arbitrary: digits(4, 4).map((d) => `415.555.${d}`) },
  // A form-encoded + arrives as a space.
  { weight: 2, arbitrary: digits(4, 4).map((d) => ` 1415555${d}`) },
  { weight: 1, arbitrary: digits(4, 4).map((d) => `+1 415 555 ${d}`) },
  {
    weight: 1,
    arbitrary: digits(4, 4).map((d) => `+1415555${d}`.replace(/\d/g, (x) => String.fromCharCode(0xff10 + Number(x)))),
  },
  { weight: 5, arbitrary: fc.constantFrom(...EXAMPLE_MOBILES) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...EXAMPLE_MOBILES), digits(1, 1)).map(([n, d]) => n.slice(0, -1) + d),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ...PREMIUM_OR_TOLL_FREE,
      ...LANDLINES,
      '+15005550006',
      '+800 1234 5678',
      '+882 1234 5678',
    ),
  },
  { weight: 1, arbitrary: digits(1, 20).map((d) => `+${d}`) },
  { weight: 1, arbitrary: digits(1, 20) },
);

export const emailLike: fc.Arbitrary<string> = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(
    'jane@example.com',
    'a@b.co',
    'x@y',
    '@example.com',
    'jane@',
    'jane@@example.com',
    'ja ne@example.com',
    'jane@exa:mple.com',
    '"quoted"@example.com',
  ),
);

export const channelLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('sms', 'call', 'voice', 'email', 'whatsapp', 'rcs') },
  { weight: 1, arbitrary: fc.constantFrom('SMS', ' Voice ', 'sna', 'auto', 'fax', 'push', 'totp', 'sms\u0000') },
  { weight: 1, arbitrary: anyString },
);
export const localeLike = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VERIFY_LOCALES, 'pt_BR', 'EN', 'en-US', 'xx', 'en-', '-en') },
  { weight: 1, arbitrary: anyString },
);
export const countryLike = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('US', 'GB', 'FR', 'us', 'gb', 'XX', 'ZZ', 'USA', 'U', ' US ') },
  { weight: 1, arbitrary: anyString },
);
export const clientKeyLike = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/), anyString);

// ---------------------------------------------------------------- wrong types, depth, pollution

/** A JSON body is nested `depth` levels deep. */
function nest(depth: number, shape: 'array' | 'object'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = shape === 'array' ? [value] : { a: value };
  return value;
}
const deepValue = fc
  .tuple(fc.integer({ min: 2, max: 6_000 }), fc.constantFrom('array' as const, 'object' as const))
  .map(([d, s]) => nest(d, s));

/** Objects a JSON body can carry that try to reach Object.prototype. */
const pollutingObject = fc
  .constantFrom(
    () => JSON.parse('{"__proto__":{"polluted":"yes"}}'),
    () => JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
    () => JSON.parse('{"__proto__":{"toString":"x","valueOf":"y"}}'),
    () => JSON.parse('[{"__proto__":{"polluted":"yes"}}]'),
  )
  .map((make) => make());

/** Any JSON value, biased towards the awkward ones. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: anyString },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, 1e21, -1, 6, 4.5),
    ),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.oneof(anyString, fc.integer()), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { minLength: 33, maxLength: 200 }) },
);

/** Parameter names: the real ones, prototype-pollution keys, runtime names, and noise. */
const anyKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'request',
    'getTwilioClient',
    'ADMIN_TOKEN',
    'ttl',
    'doForceCheckOnce',
    'To',
    'Channel',
    'rateLimits',
    'customCode',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: CODE_POINT_UNIT, maxLength: 12 }),
);

/** Form-encoded bodies carry only strings (a repeated key would be a list of strings). */
function formValue(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.length <= 4 && value.every((v) => typeof v === 'string'))
    return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return '[object Object]';
  return String(value);
}

// ---------------------------------------------------------------- headers

export interface HeaderPlan {
  contentType: 'json' | 'form' | 'random' | 'none';
  origin?: string | string[];
  authorization?: string | string[];
  preflight: boolean;
  contentLength?: string;
  randomContentType: string;
  extra: Array<[string, string]>;
}

const originArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ALLOWED_ORIGINS) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'https://evil.example.com',
      'https://app.example.com.evil.com',
      'http://app.example.com',
      'https://APP.example.com',
      'https://app.example.com/',
      'null',
      '*',
      '',
      ' https://app.example.com',
    ),
  },
  { weight: 1, arbitrary: anyString.filter((s) => s.length < 200) },
  { weight: 1, arbitrary: fc.constant<string[]>(['https://app.example.com', 'https://evil.example.com']) },
);

/** Authorization values: the right token in several spellings, near misses, junk. */
const authorizationArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(`Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`, `Bearer   ${ADMIN_TOKEN}  `),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.toUpperCase()}`,
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`,
      ADMIN_TOKEN,
      'Bearer ',
      'Bearer',
      '',
      `Bearer ${'a'.repeat(10_000)}`,
    ),
  },
  { weight: 1, arbitrary: anyString.map((s) => `Bearer ${s}`) },
  { weight: 1, arbitrary: fc.constant<string[]>([`Bearer ${ADMIN_TOKEN}`, 'Bearer wrong']) },
);

const headerPlan: fc.Arbitrary<HeaderPlan> = fc.record({
  contentType: fc.constantFrom<HeaderPlan['contentType']>(
    'json',
    'json',
    'json',
    'form',
    'form',
    'form',
    'random',
    'none',
  ),
  origin: fc.option(originArb, { nil: undefined, freq: 2 }),
  authorization: fc.option(authorizationArb, { nil: undefined, freq: 2 }),
  preflight: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  contentLength: fc.option(fc.constantFrom('0', '17', '-1', 'abc', '99999999'), { nil: undefined, freq: 3 }),
  randomContentType: fc.oneof(
    fc.constantFrom('text/plain', 'application/json; charset=utf-8', 'multipart/form-data', 'application/xml'),
    anyString.filter((s) => s.length < 100),
  ),
  extra: fc.array(
    fc.tuple(
      fc.constantFrom('x-forwarded-for', 'cookie', 'x-twilio-signature', 'user-agent', 'host'),
      fc.string({ maxLength: 30 }),
    ),
    { maxLength: 2 },
  ),
});

export function materializeHeaders(plan: HeaderPlan): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of plan.extra) headers[k] = v;
  if (plan.contentType === 'json') headers['content-type'] = 'application/json';
  if (plan.contentType === 'form') headers['content-type'] = 'application/x-www-form-urlencoded';
  if (plan.contentType === 'random') headers['content-type'] = plan.randomContentType;
  if (plan.contentLength !== undefined) headers['content-length'] = plan.contentLength;
  if (plan.origin !== undefined) headers.origin = plan.origin;
  if (plan.authorization !== undefined) headers.authorization = plan.authorization;
  if (plan.preflight) {
    headers['access-control-request-method'] = 'POST';
    headers['access-control-request-headers'] = 'content-type, authorization';
  }
  return headers;
}

/** The first value of a header, as the functions read it. */
export const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** No Origin (a server or app) or an allowed one: a request that must be served, whatever the cross-site policy. */
export const isFriendlyOrigin = (plan: HeaderPlan) => {
  const origin = firstHeader(plan.origin);
  return origin === undefined || ALLOWED_ORIGINS.includes(origin);
};

// ---------------------------------------------------------------- whole requests per route

const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 2, arbitrary: anyJson },
    { weight: 2, arbitrary: fc.constant(undefined) },
  );

export const common = {
  extras: fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as Array<[string, unknown]>) },
    { weight: 1, arbitrary: fc.array(fc.tuple(anyKey, anyJson), { maxLength: 5 }) },
  ),
  stuffing: fc.oneof(
    { weight: 20, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }) },
  ),
  headers: headerPlan,
};

const startFields = fc.record(
  {
    to: fc.oneof(
      { weight: 7, arbitrary: phoneLike as fc.Arbitrary<unknown> },
      { weight: 2, arbitrary: emailLike },
      { weight: 2, arbitrary: anyJson },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    channel: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: channelLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    locale: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: localeLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    country: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: countryLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    clientKey: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: clientKeyLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
  },
  { requiredKeys: [] },
);

/** Headers an honest client sends: a JSON or form POST, maybe an Origin. */
export const honestHeaders: fc.Arbitrary<HeaderPlan> = headerPlan.map((h) => ({
  ...h,
  contentType: h.contentType === 'form' || h.contentType === 'random' ? 'form' : 'json',
  preflight: false,
  contentLength: undefined,
}));

/** Half the runs: well-formed requests with valid-looking values, so Verify really runs. */
const honest = <F>(fields: fc.Arbitrary<F>) =>
  fc.record({
    fields,
    extras: fc.constant([] as Array<[string, unknown]>),
    stuffing: fc.constant(0),
    headers: honestHeaders,
  });

const validStartFields = fc.record(
  {
    to: fc.oneof({ weight: 5, arbitrary: phoneLike }, { weight: 1, arbitrary: emailLike }),
    channel: fc.constantFrom(undefined, 'sms', 'call', 'voice', 'whatsapp', 'rcs', 'email'),
    locale: fc.option(fc.constantFrom(...VERIFY_LOCALES, 'pt_BR'), { nil: undefined }),
    country: fc.option(fc.constantFrom('US', 'GB'), { nil: undefined, freq: 5 }),
    clientKey: fc.option(fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/), { nil: undefined }),
  },
  { requiredKeys: ['to'] },
);

export const startPlan = fc.oneof(
  honest(validStartFields as fc.Arbitrary<Record<string, unknown>>),
  fc.record({ fields: startFields as fc.Arbitrary<Record<string, unknown>>, ...common }),
);

/** check-verify: either free-form fields, or a recipe that targets a live verification. */
export interface CheckRecipe {
  /** Use a real pending verification: by SID or by `to`, with its real code or a wrong one. */
  target: 'sid' | 'to' | 'to-national' | 'to-form-space';
  rightCode: boolean;
  codeFormat: 'plain' | 'spaced' | 'dashed';
  /** The SID of a different live verification (cross-wiring). */
  otherSid: boolean;
}

const checkRecipe: fc.Arbitrary<CheckRecipe> = fc.record({
  target: fc.constantFrom<CheckRecipe['target']>('sid', 'sid', 'to', 'to-national', 'to-form-space'),
  rightCode: fc.boolean(),
  codeFormat: fc.constantFrom<CheckRecipe['codeFormat']>('plain', 'plain', 'spaced', 'dashed'),
  otherSid: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});

const checkFields = fc.record(
  {
    code: field(codeLike),
    verification: fc.oneof(
      { weight: 3, arbitrary: sidLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
      { weight: 3, arbitrary: fc.constant(undefined) },
    ),
    verificationSid: fc.oneof(
      { weight: 1, arbitrary: sidLike as fc.Arbitrary<unknown> },
      { weight: 6, arbitrary: fc.constant(undefined) },
    ),
    to: fc.oneof(
      { weight: 3, arbitrary: phoneLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: emailLike },
      { weight: 1, arbitrary: anyJson },
      { weight: 3, arbitrary: fc.constant(undefined) },
    ),
    country: fc.oneof(
      { weight: 5, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: countryLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
  },
  { requiredKeys: [] },
);

export const checkPlan = fc.oneof(
  fc.record({
    fields: checkFields as fc.Arbitrary<Record<string, unknown>>,
    recipe: checkRecipe,
    extras: fc.constant([] as Array<[string, unknown]>),
    stuffing: fc.constant(0),
    headers: honestHeaders,
  }),
  fc.record({
    fields: checkFields as fc.Arbitrary<Record<string, unknown>>,
    recipe: fc.option(checkRecipe, { nil: undefined, freq: 2 }),
    ...common,
  }),
);

const friendlyNameLike = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom('My App', 'Shop login', 'Shop 12345', 'a1b2c3d4e5', ' padded ', 'x'.repeat(31), 'Ünïcødé 🚀'),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
);
const flagLike = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'True', 'yes', '1', 'on', ''));
const codeLengthLike = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.constantFrom('6', ' 6 ', '6.5', '1e1', '04', '-4', '10', '1000', 6.5, -6, 1e9),
);

const createFields = fc.record(
  {
    friendlyName: fc.oneof(
      { weight: 6, arbitrary: friendlyNameLike as fc.Arbitrary<unknown> },
      { weight: 2, arbitrary: anyJson },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    codeLength: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: codeLengthLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    lookupEnabled: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: flagLike as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    skipSmsToLandlines: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: flagLike as fc.Arbitrary<unknown> },
    ),
    doNotShareWarningEnabled: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: flagLike as fc.Arbitrary<unknown> },
    ),
    customCodeEnabled: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: flagLike as fc.Arbitrary<unknown> },
    ),
    dtmfInputRequired: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: flagLike as fc.Arbitrary<unknown> },
    ),
    ttsName: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: anyString as fc.Arbitrary<unknown> },
      { weight: 1, arbitrary: anyJson },
    ),
    ttl: fc.oneof(
      { weight: 20, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(600, '600') },
    ),
  },
  { requiredKeys: [] },
);

const validCreateFields = fc.record(
  {
    friendlyName: friendlyNameLike,
    codeLength: fc.option(fc.oneof(fc.integer({ min: 4, max: 10 }), fc.constantFrom('6', '8')), { nil: undefined }),
    lookupEnabled: fc.option(flagLike, { nil: undefined, freq: 3 }),
    skipSmsToLandlines: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
    ttsName: fc.option(fc.string({ maxLength: 20 }), { nil: undefined, freq: 3 }),
  },
  { requiredKeys: ['friendlyName'] },
);

export const createPlan = fc.oneof(
  honest(validCreateFields as fc.Arbitrary<Record<string, unknown>>),
  fc.record({ fields: createFields as fc.Arbitrary<Record<string, unknown>>, ...common }),
);

/**
 * The parameters of a request: the chosen fields, then extras and key stuffing, as
 * [key, value] pairs (so `__proto__` stays an own key). Form bodies carry strings only.
 */
export function materializeParams(
  fields: Record<string, unknown>,
  plan: { extras: Array<[string, unknown]>; stuffing: number; headers: HeaderPlan },
): Array<[string, unknown]> {
  const form = plan.headers.contentType === 'form';
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) entries.push([key, value]);
  entries.push(...plan.extras);
  for (let i = 0; i < plan.stuffing; i++) entries.push([`k${i}`, 'v']);
  return form ? entries.map(([k, v]) => [k, formValue(v)]) : entries;
}
