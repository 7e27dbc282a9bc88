/**
 * Every error this API can answer with: its stable machine code, HTTP status and default
 * message. Callers branch on `code`; `message` is safe to show a person. Every 429 has a
 * `retryAfter`: the wait a flow does not compute exactly (the limit's own window).
 */
export const ERROR_CODES = {
  invalid_request: { status: 400, message: 'The request is not valid.' },
  invalid_phone_number: { status: 400, message: 'This is not a valid phone number.' },
  invalid_email: { status: 400, message: 'This is not a valid email address.' },
  unsupported_channel: { status: 400, message: 'This channel is not supported.' },
  invalid_verification: {
    status: 400,
    message: 'This verification is not valid here or has expired. Request a new code.',
  },
  incorrect_code: { status: 401, message: 'That code is not correct. Check it and try again.' },
  verification_not_found: { status: 404, message: 'This code has expired or was already used. Request a new one.' },
  max_check_attempts: {
    status: 429,
    message: 'Too many incorrect codes. You can ask for a new code once this one expires.',
    retryAfter: 600,
  },
  max_send_attempts: {
    status: 429,
    message: 'Too many codes were requested for this destination. Try again later.',
    retryAfter: 600,
  },
  max_totp_attempts: {
    status: 429,
    message: 'Too many incorrect codes for this authenticator. Add the authenticator app again to get a new QR code.',
    retryAfter: 0,
  },
  totp_rate_limited: {
    status: 429,
    message: 'Too many sign-in attempts with the authenticator app. Try again later.',
    retryAfter: 3600,
  },
  passkey_not_accepted: {
    status: 401,
    message: 'This passkey was not accepted. Try again, or use a code instead.',
  },
  passkey_rate_limited: {
    status: 429,
    message: 'Too many sign-in attempts with a passkey. Try again later.',
    retryAfter: 3600,
  },
  recovery_needs_factor: {
    status: 409,
    message: 'Recovery codes are for accounts with an authenticator app or a passkey: add one first.',
  },
  recovery_rate_limited: {
    status: 429,
    message: 'Too many recovery code attempts. Try again later.',
    retryAfter: 3600,
  },
  invalid_enrolment_handle: {
    status: 400,
    message: 'This enrolment has expired or is not valid. Add the authenticator app again.',
  },
  confirm_in_progress: {
    status: 409,
    message: 'Another request is confirming this authenticator app. Try again in a moment.',
  },
  factor_not_found: { status: 404, message: 'This authenticator was not found.' },
  resend_too_soon: { status: 429, message: 'Please wait before asking for another code.', retryAfter: 30 },
  rate_limited: { status: 429, message: 'Too many requests. Try again later.', retryAfter: 60 },
  destination_blocked: { status: 403, message: 'We cannot send codes to this destination.' },
  channel_disabled: { status: 403, message: 'This delivery channel is not enabled.' },
  landline_not_supported: {
    status: 400,
    message: 'This number cannot receive text messages. Try a voice call instead.',
  },
  origin_not_allowed: { status: 403, message: 'Requests from this website are not allowed.' },
  unauthorized: { status: 401, message: 'A valid admin token is required.' },
  invalid_token: { status: 401, message: 'The proof token is missing, invalid or expired.' },
  sent_code_required: {
    status: 403,
    message:
      'Adding or removing an authenticator app or passkey, or making new recovery codes, needs a code sent to you: verify by SMS, call or email first.',
  },
  admin_disabled: { status: 403, message: 'The admin API is disabled: set ADMIN_TOKEN to enable it.' },
  method_not_allowed: { status: 405, message: 'Use POST with a JSON or form-encoded body.' },
  /** Answered by the local stack's front (scripts/local-front.ts) only; the hosted gateway answers its own error. */
  payload_too_large: { status: 413, message: 'The body is too large.' },
  server_misconfigured: { status: 500, message: 'The verification service is not configured correctly.' },
  internal_error: { status: 500, message: 'Something went wrong on our side. Try again shortly.' },
  verify_error: { status: 502, message: 'The verification service rejected the request.' },
  verify_unavailable: { status: 502, message: 'The verification service is unavailable. Try again shortly.' },
  state_unavailable: {
    status: 503,
    message: 'The verification service cannot keep its records right now. Try again shortly.',
  },
  verify_timeout: { status: 504, message: 'The verification service did not answer in time. Try again shortly.' },
} as const satisfies Record<string, { status: number; message: string; retryAfter?: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;
