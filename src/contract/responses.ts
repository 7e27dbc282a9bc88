/**
 * What each route answers on success, as zod/mini schemas turned into the OpenAPI document's
 * JSON Schemas at build time. Strict objects: a field the code adds without the contract
 * fails the tests that validate every answer (tests/support/contract.ts).
 * Only the contract (build, tests) imports this module; no function bundle does.
 */
import * as z from 'zod/mini';
import { CHANNELS } from '../domain/channels';
import { REPORT_WINDOWS, type ReportWindow } from '../domain/verification-report';

const channel = () => z.enum(CHANNELS);
const masked = () =>
  z
    .string()
    .register(z.globalRegistry, { description: 'The destination, masked (`+1******2671`, `j***@example.com`).' });
const retryAfter = () =>
  z.int().check(z.minimum(0)).register(z.globalRegistry, {
    description: 'Seconds before a resend is allowed (0: now). Wait this long before offering "resend".',
  });

/** /start-verify and /resend-verify. */
export const sentResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    verification: z.string().register(z.globalRegistry, {
      description:
        'The opaque verification handle: keep the newest one and send it to check, resend, cancel and status.',
    }),
    to: masked(),
    channel: channel().register(z.globalRegistry, {
      description: 'The channel asked for (never which one finally delivered).',
    }),
    status: z.string().register(z.globalRegistry, { description: "Verify's status of the verification: `pending`." }),
    sendCodeAttempts: z
      .int()
      .check(z.minimum(1))
      .register(z.globalRegistry, { description: "Codes sent for this caller's handle." }),
    retryAfter: retryAfter(),
    expiresIn: z.int().check(z.minimum(0)).register(z.globalRegistry, {
      description:
        "Seconds until the code stops working (the end of the verification's 10 minutes, on Verify's clock). A resend of the same code does not extend it.",
    }),
    nextChannel: z
      .optional(channel())
      .register(z.globalRegistry, { description: 'The channel a resend would use, when the fallback order has one.' }),
  });

export const checkResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('approved'),
    to: masked(),
    channel: z.string(),
    token: z.optional(z.string()).register(z.globalRegistry, {
      description:
        'The signed proof of verification (JWT, ES256 or EdDSA) for your backend; verify it against /jwks. Present when TOKEN_SIGNING_KEY is set.',
    }),
  });

export const cancelResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.enum(['canceled', 'pending']).register(z.globalRegistry, {
      description:
        '`canceled`: the code no longer works. `pending`: another caller also asked for a code to this destination (Verify keeps one per destination), so it was left working for them; your handle still works until you stop using it.',
    }),
  });

const DELIVERY_STATES = [
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'calling',
  'completed',
  'no-answer',
  'busy',
  'unknown',
] as const;
const delivery = () =>
  z.enum(DELIVERY_STATES).register(z.globalRegistry, {
    description:
      "What happened to a send, from Verify's Attempts API: messages queued, sent, delivered, undelivered, failed; calls queued, calling, completed, no-answer, busy, failed; `unknown` until Verify reports.",
  });

export const statusResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.string(),
    to: masked(),
    channel: z.string(),
    attempts: z
      .array(z.strictObject({ channel: z.string(), time: z.iso.datetime({ offset: true }), delivery: delivery() }))
      .register(z.globalRegistry, {
        description: "This caller's sends (another caller's sends to the same destination are not shown).",
      }),
    delivery: delivery(),
    retryAfter: retryAfter(),
    nextChannel: z.optional(channel()),
    nextChannelRetryAfter: z.optional(z.int().check(z.minimum(0))).register(z.globalRegistry, {
      description: 'Seconds before a send on `nextChannel` is allowed: 0 at once when the latest send did not arrive.',
    }),
  });

export const jwksResponse = () =>
  z.strictObject({
    keys: z.array(
      z.strictObject({
        kty: z.enum(['EC', 'OKP']),
        crv: z.enum(['P-256', 'Ed25519']),
        x: z.string(),
        y: z.optional(z.string()),
        kid: z.string().register(z.globalRegistry, { description: 'RFC 7638 thumbprint of the key.' }),
        alg: z.enum(['ES256', 'EdDSA']),
        use: z.literal('sig'),
      }),
    ),
  });

export const createServiceResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    created: z.boolean(),
    sid: z.string().check(z.regex(/^VA[0-9a-fA-F]{32}$/)),
    friendlyName: z.string(),
    codeLength: z.int(),
    rateLimits: z.array(
      z.strictObject({
        uniqueName: z.string(),
        sid: z.string(),
        buckets: z.array(z.strictObject({ max: z.int(), interval: z.int() })),
      }),
    ),
    /** The Sync Service and Map for SYNC_SERVICE_SID (found or created). */
    sync: z.strictObject({
      sid: z.string().check(z.regex(/^IS[0-9a-fA-F]{32}$/)),
      map: z.string(),
      created: z.boolean(),
    }),
    /** The relying party set on the Service's `passkeys` (from PASSKEY_RP_ID, PASSKEY_RP_NAME, PASSKEY_ORIGINS), or null when DOMAIN_NAME gives none. */
    passkeys: z.nullable(z.strictObject({ id: z.string(), name: z.string(), origins: z.array(z.string()) })),
  });

const rate = () =>
  z
    .nullable(z.number())
    .register(z.globalRegistry, { description: 'A percentage with one decimal; null without attempts.' });
const conversionRow = () =>
  z.strictObject({ key: z.string(), attempts: z.int(), converted: z.int(), conversionRate: rate() });
const failureRow = () => z.strictObject({ key: z.string(), attempts: z.int(), failed: z.int(), failureRate: rate() });

export const verificationReportResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    window: z.enum(Object.keys(REPORT_WINDOWS) as [ReportWindow, ...ReportWindow[]]),
    from: z.string(),
    to: z.string(),
    totals: conversionRow(),
    conversionByChannel: z.array(conversionRow()),
    conversionByCountry: z.array(conversionRow()),
    series: z.array(z.strictObject({ start: z.string(), attempts: z.int(), converted: z.int() })),
    failuresByCountry: z.array(failureRow()),
    failuresByChannel: z.array(failureRow()),
    pumping: z.strictObject({
      baselineRate: rate(),
      signals: z.array(
        z.strictObject({
          kind: z.enum(['country', 'prefix']),
          key: z.string(),
          attempts: z.int(),
          unconverted: z.int(),
          conversionRate: rate(),
          excessUnconverted: z.number(),
        }),
      ),
    }),
    summary: z.strictObject({
      totalAttempts: z.int(),
      totalConverted: z.int(),
      conversionRatePercentage: z.nullable(z.string()),
      matches: z.boolean(),
    }),
  });

const factorSid = () => z.string().check(z.regex(/^YF[0-9a-fA-F]{32}$/));
const proofToken = () =>
  z.string().register(z.globalRegistry, {
    description:
      'A proof token (JWT) with `amr: ["otp"]` and `channel: "totp"` for your backend; verify it against /jwks.',
  });

export const totpEnrollResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('unverified'),
    factorSid: factorSid(),
    uri: z.string().register(z.globalRegistry, { description: 'The `otpauth://totp/…` URI the QR code holds.' }),
    secret: z
      .string()
      .register(z.globalRegistry, { description: 'The Base32 secret, for typing into the app by hand.' }),
    qrSvg: z
      .string()
      .register(z.globalRegistry, { description: 'The QR code as an SVG document (show it as an image).' }),
    handle: z.string().register(z.globalRegistry, {
      description: 'The enrolment handle: send it with the first code to /totp-confirm.',
    }),
    expiresAt: z.iso.datetime({ offset: true }),
  });

const recoveryCodeList = () =>
  z.array(z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/))).register(z.globalRegistry, {
    description:
      'The 10 recovery codes, shown this once: only their keyed hashes are kept (/recovery-check takes them).',
  });

export const totpConfirmResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('verified'),
    factorSid: factorSid(),
    token: proofToken(),
    /** Only when this confirm made the person's first set. */
    recoveryCodes: z.optional(recoveryCodeList()),
  });

export const totpCheckResponse = () =>
  z.strictObject({ ok: z.literal(true), status: z.literal('approved'), to: masked(), token: proofToken() });

export const totpFactorsResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    factors: z.array(
      z.strictObject({
        factorSid: factorSid(),
        friendlyName: z.string(),
        status: z.enum(['unverified', 'verified']),
        dateCreated: z.iso.datetime({ offset: true }),
      }),
    ),
  });

export const totpRemoveResponse = () => z.strictObject({ ok: z.literal(true), removed: factorSid() });

/** WebAuthn's own JSON options, as Verify answers them (passed to the browser or platform SDK as they are). */
const webAuthnOptions = (description: string) =>
  z.record(z.string(), z.unknown()).register(z.globalRegistry, { description });
const passkeyToken = () =>
  z.string().register(z.globalRegistry, {
    description:
      'A proof token (JWT) with `amr: ["hwk", "user"]` and `channel: "passkey"` for your backend; verify it against /jwks.',
  });

export const passkeyRegisterResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('unverified'),
    factorSid: factorSid(),
    publicKey: webAuthnOptions(
      'PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create() (PublicKeyCredential.parseCreationOptionsFromJSON), Android Credential Manager or iOS AuthenticationServices.',
    ),
    handle: z.string().register(z.globalRegistry, {
      description: 'The registration handle: send it with the credential to /passkey-confirm.',
    }),
    expiresAt: z.iso.datetime({ offset: true }),
  });

export const passkeyConfirmResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('verified'),
    factorSid: factorSid(),
    token: passkeyToken(),
    recoveryCodes: z.optional(recoveryCodeList()),
  });

export const passkeyChallengeResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    /** Absent for a discoverable challenge (no `to`). */
    to: z.optional(masked()),
    publicKey: webAuthnOptions(
      'PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get() (PublicKeyCredential.parseRequestOptionsFromJSON).',
    ),
  });

export const passkeyCheckResponse = () =>
  z.strictObject({ ok: z.literal(true), status: z.literal('approved'), to: masked(), token: passkeyToken() });

/** The same shapes as the authenticator apps' list and removal. */
export const passkeyFactorsResponse = () => totpFactorsResponse();
export const passkeyRemoveResponse = () => totpRemoveResponse();

export const recoveryCodesResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    codes: recoveryCodeList(),
    replaced: z
      .boolean()
      .register(z.globalRegistry, { description: 'True when an earlier set existed: its codes no longer work.' }),
  });

export const recoveryCheckResponse = () =>
  z.strictObject({
    ok: z.literal(true),
    status: z.literal('approved'),
    to: masked(),
    remaining: z.int().register(z.globalRegistry, { description: 'Unused codes left in the set.' }),
    token: z.string().register(z.globalRegistry, {
      description:
        'A proof token (JWT) with `amr: ["otp"]` and `channel: "recovery"`; it cannot add or remove factors.',
    }),
  });
