/**
 * The route registry: one entry per functions/*.ts file (a test fails when one is missing),
 * from which the build generates the OpenAPI document (/openapi.json) and the typed client's
 * types. Adding a route means adding its entry here: the request schema is the zod/mini schema
 * the function already validates with; the success body is a schema from ./responses; the
 * errors are codes from src/domain/error-codes.ts (their statuses come from that table).
 */
import type * as z from 'zod/mini';
import type { ErrorCode } from '../domain/error-codes';
import { cancelVerifySchema } from '../domain/schemas/cancel-verify';
import { checkVerifySchema } from '../domain/schemas/check-verify';
import { createServiceSchema } from '../domain/schemas/create-service';
import { resendVerifySchema } from '../domain/schemas/resend-verify';
import { startVerifySchema } from '../domain/schemas/start-verify';
import { verificationReportSchema } from '../domain/schemas/verification-report';
import { verificationStatusSchema } from '../domain/schemas/verification-status';
import { noParamsSchema, totpCheckSchema, totpConfirmSchema, totpRemoveSchema } from '../domain/schemas/totp';
import { recoveryCheckSchema } from '../domain/schemas/recovery';
import { passkeyChallengeSchema, passkeyCheckSchema, passkeyConfirmSchema } from '../domain/schemas/passkeys';
import {
  cancelResponse,
  checkResponse,
  createServiceResponse,
  jwksResponse,
  passkeyChallengeResponse,
  passkeyCheckResponse,
  passkeyConfirmResponse,
  passkeyFactorsResponse,
  passkeyRegisterResponse,
  passkeyRemoveResponse,
  recoveryCheckResponse,
  recoveryCodesResponse,
  sentResponse,
  statusResponse,
  totpCheckResponse,
  totpConfirmResponse,
  totpEnrollResponse,
  totpFactorsResponse,
  totpRemoveResponse,
  verificationReportResponse,
} from './responses';

export interface RouteContract {
  /** operationId, and the name the typed client gives the call. */
  operationId: string;
  summary: string;
  description?: string;
  tag: 'verification' | 'tokens' | 'admin' | 'totp' | 'passkeys' | 'recovery';
  /** Default POST only (the runtime also answers OPTIONS preflights). */
  method?: 'get' | 'post';
  /** The schema the function validates its parameters with; none for a GET without parameters. */
  request?: z.ZodMiniType;
  /** Success answers by HTTP status. */
  responses: Partial<Record<200 | 201, z.ZodMiniType>>;
  /** Extra response headers on success, e.g. a Cache-Control other than no-store. */
  cacheControl?: string;
  /** Error codes the route answers besides those every route can (COMMON_ERRORS). */
  errors: readonly ErrorCode[];
  /**
   * `admin`: Authorization: Bearer ADMIN_TOKEN. `proof`: Bearer proof token (TOTP routes).
   * `sent-code-proof`: the same, from a code sent to the destination (not an app sign-in's).
   */
  security?: 'admin' | 'proof' | 'sent-code-proof';
}

/** What any route can answer: bad parameters, a foreign origin, a wrong method, a body over the limit (local stack), a server fault. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'invalid_request',
  'origin_not_allowed',
  'method_not_allowed',
  'payload_too_large',
  'server_misconfigured',
  'internal_error',
];

/**
 * What a route that calls Verify's Verification API can also answer: Verify's errors are mapped
 * the same way on every route (src/verify/map-verify-error.ts), so any of these can come back
 * whichever call Verify refused (tests/hardening/faults.test.ts injects them).
 */
const VERIFY_ERRORS: readonly ErrorCode[] = [
  'rate_limited',
  'verify_error',
  'verify_unavailable',
  'verify_timeout',
  'invalid_phone_number',
  'landline_not_supported',
  'channel_disabled',
  'destination_blocked',
  'max_send_attempts',
  'max_check_attempts',
];

/** What a route that calls Verify's Factors API can also answer. */
const TOTP_VERIFY_ERRORS: readonly ErrorCode[] = ['rate_limited', 'verify_error', 'verify_unavailable', 'verify_timeout'];

const SEND_ERRORS: readonly ErrorCode[] = [...VERIFY_ERRORS, 'invalid_email', 'unsupported_channel', 'resend_too_soon'];

export const ROUTES: Readonly<Record<string, RouteContract>> = {
  'totp-enroll': {
    operationId: 'totpEnroll',
    tag: 'totp',
    summary: 'Add an authenticator app',
    description:
      'For the person a proof token names (one from a code sent by SMS, call, email, WhatsApp or RCS: an authenticator sign-in\'s is 403 `sent_code_required`): creates a TOTP factor and answers its QR code (SVG), `otpauth://` URI, Base32 secret and an enrolment handle for /totp-confirm.',
    request: noParamsSchema(),
    responses: { 200: totpEnrollResponse },
    security: 'sent-code-proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required'],
  },
  'totp-confirm': {
    operationId: 'totpConfirm',
    tag: 'totp',
    summary: "Confirm an authenticator app with its first code",
    description: 'A wrong code is 401 `incorrect_code`; the 5th is 429 `max_totp_attempts` (the factor is removed: enrol again). Answers a proof token.',
    request: totpConfirmSchema(),
    responses: { 200: totpConfirmResponse },
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_enrolment_handle', 'incorrect_code', 'max_totp_attempts'],
  },
  'totp-check': {
    operationId: 'totpCheck',
    tag: 'totp',
    summary: "Sign in with an authenticator app's code",
    description: 'A destination without an app answers exactly like a wrong code (401 `incorrect_code`). Answers a proof token.',
    request: totpCheckSchema(),
    responses: { 200: totpCheckResponse },
    errors: [...TOTP_VERIFY_ERRORS, 'incorrect_code', 'totp_rate_limited', 'invalid_phone_number', 'invalid_email'],
  },
  'totp-factors': {
    operationId: 'totpFactors',
    tag: 'totp',
    summary: "List the person's authenticator apps",
    request: noParamsSchema(),
    responses: { 200: totpFactorsResponse },
    security: 'proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token'],
  },
  'totp-remove': {
    operationId: 'totpRemove',
    tag: 'totp',
    summary: 'Remove one of the person\'s authenticator apps',
    request: totpRemoveSchema(),
    responses: { 200: totpRemoveResponse },
    security: 'sent-code-proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'factor_not_found'],
  },
  'passkey-register': {
    operationId: 'passkeyRegister',
    tag: 'passkeys',
    summary: 'Add a passkey',
    description:
      'For the person a proof token names (one from a code sent to them: an authenticator app\'s, a passkey\'s or a recovery code\'s is 403 `sent_code_required`): creates a Passkeys factor at Verify and answers its WebAuthn creation options and a registration handle for /passkey-confirm.',
    request: noParamsSchema(),
    responses: { 200: passkeyRegisterResponse },
    security: 'sent-code-proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required'],
  },
  'passkey-confirm': {
    operationId: 'passkeyConfirm',
    tag: 'passkeys',
    summary: 'Confirm a passkey with the authenticator\'s attestation',
    description: 'Verify checks the attestation (challenge, origin, RP id, user verification). Any refusal is 401 `passkey_not_accepted`. Answers a proof token.',
    request: passkeyConfirmSchema(),
    responses: { 200: passkeyConfirmResponse },
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_enrolment_handle', 'passkey_not_accepted'],
  },
  'passkey-challenge': {
    operationId: 'passkeyChallenge',
    tag: 'passkeys',
    summary: 'Request options for signing in with a passkey',
    description: 'With `to`: that destination\'s passkeys (one without gets options nothing can answer: the same answer). Without: a discoverable challenge any passkey of this deployment answers (the browser\'s autofill).',
    request: passkeyChallengeSchema(),
    responses: { 200: passkeyChallengeResponse },
    errors: [...TOTP_VERIFY_ERRORS, 'passkey_rate_limited', 'invalid_phone_number', 'invalid_email'],
  },
  'passkey-check': {
    operationId: 'passkeyCheck',
    tag: 'passkeys',
    summary: 'Sign in with a passkey',
    description: 'Verify checks the assertion (challenge, origin, RP id, signature, counter, user verification) and approves its challenge once. Any refusal is 401 `passkey_not_accepted`. Answers a proof token.',
    request: passkeyCheckSchema(),
    responses: { 200: passkeyCheckResponse },
    errors: [...TOTP_VERIFY_ERRORS, 'passkey_not_accepted', 'invalid_phone_number', 'invalid_email'],
  },
  'passkey-factors': {
    operationId: 'passkeyFactors',
    tag: 'passkeys',
    summary: "List the person's passkeys",
    request: noParamsSchema(),
    responses: { 200: passkeyFactorsResponse },
    security: 'proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token'],
  },
  'passkey-remove': {
    operationId: 'passkeyRemove',
    tag: 'passkeys',
    summary: "Remove one of the person's passkeys",
    request: totpRemoveSchema(),
    responses: { 200: passkeyRemoveResponse },
    security: 'sent-code-proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'factor_not_found'],
  },
  'recovery-codes': {
    operationId: 'recoveryCodes',
    tag: 'recovery',
    summary: 'Make a new set of 10 recovery codes (shown once)',
    description: 'With a proof token from a sent code, for a destination with an authenticator app or passkey. Replaces, and so invalidates, the earlier set.',
    request: noParamsSchema(),
    responses: { 200: recoveryCodesResponse },
    security: 'sent-code-proof',
    errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required', 'recovery_needs_factor'],
  },
  'recovery-check': {
    operationId: 'recoveryCheck',
    tag: 'recovery',
    summary: 'Sign in with a recovery code',
    description: 'Each code works once. A wrong, used or replaced code, and a destination without codes, are 401 `incorrect_code`; 5 attempts an hour and 20 a day per destination. The token says `channel: "recovery"` and cannot add or remove factors.',
    request: recoveryCheckSchema(),
    responses: { 200: recoveryCheckResponse },
    errors: ['incorrect_code', 'recovery_rate_limited', 'invalid_phone_number', 'invalid_email'],
  },
  'start-verify': {
    operationId: 'startVerify',
    tag: 'verification',
    summary: 'Send a one-time code',
    description:
      'Sends a code to `to` by `channel` and answers the verification handle. A destination with a code pending gets the next code only after its cooldown (429 `resend_too_soon` with `retryAfter`).',
    request: startVerifySchema,
    responses: { 200: sentResponse },
    errors: SEND_ERRORS,
  },
  'check-verify': {
    operationId: 'checkVerify',
    tag: 'verification',
    summary: 'Check a code',
    description:
      'Only Verify\'s `approved` counts. A wrong code is 401 `incorrect_code` (with `status: "pending"`); the 5th is 429 `max_check_attempts` with `retryAfter`. On `approved`, `token` is the proof for your backend.',
    request: checkVerifySchema,
    responses: { 200: checkResponse },
    errors: [...VERIFY_ERRORS, 'invalid_verification', 'incorrect_code', 'verification_not_found', 'invalid_email'],
  },
  'resend-verify': {
    operationId: 'resendVerify',
    tag: 'verification',
    summary: 'Send the code again',
    description:
      'Once the cooldown has passed, sends again on the next channel of the fallback order (or `channel`). Answers a new handle to keep.',
    request: resendVerifySchema,
    responses: { 200: sentResponse },
    errors: [...SEND_ERRORS, 'invalid_verification', 'verification_not_found'],
  },
  'cancel-verify': {
    operationId: 'cancelVerify',
    tag: 'verification',
    summary: 'Cancel the code ("change number")',
    description: 'Cancels only when this caller made every send of the code; when another caller shares it, it is left working and the answer is `pending`. Idempotent: a verification already approved, expired or canceled also answers `canceled`.',
    request: cancelVerifySchema,
    responses: { 200: cancelResponse },
    errors: [...VERIFY_ERRORS, 'invalid_verification'],
  },
  'verification-status': {
    operationId: 'verificationStatus',
    tag: 'verification',
    summary: 'Status, send attempts and resend schedule',
    description: 'Approved, expired and canceled verifications are gone from Verify: 404 `verification_not_found`.',
    request: verificationStatusSchema,
    responses: { 200: statusResponse },
    errors: [...VERIFY_ERRORS, 'invalid_verification', 'verification_not_found'],
  },
  jwks: {
    operationId: 'jwks',
    tag: 'tokens',
    method: 'get',
    summary: 'Public keys that verify proof tokens',
    description: 'RFC 7517 JWK set: the current key, then TOKEN_PREVIOUS_KEYS. Empty when no signing key is set.',
    responses: { 200: jwksResponse },
    cacheControl: 'public, max-age=300',
    errors: [],
  },
  'create-service': {
    operationId: 'createService',
    tag: 'admin',
    summary: 'Find or create the Verify Service and its rate limits',
    description: 'Idempotent on `friendlyName`: 201 when created, 200 when it existed.',
    request: createServiceSchema,
    responses: { 200: createServiceResponse, 201: createServiceResponse },
    security: 'admin',
    errors: [...VERIFY_ERRORS, 'admin_disabled', 'unauthorized'],
  },
  'verification-report': {
    operationId: 'verificationReport',
    tag: 'admin',
    summary: 'Conversion, delivery failures and a pumping signal over a window',
    request: verificationReportSchema,
    responses: { 200: verificationReportResponse },
    security: 'admin',
    errors: [...VERIFY_ERRORS, 'admin_disabled', 'unauthorized'],
  },
};
