import { AppError } from '../domain/app-error';
import type { ErrorCode } from '../domain/error-codes';

/** How Twilio error codes read to our callers. Anything else keeps its code in `twilioCode`. */
const TWILIO_CODE_TO_ERROR: Readonly<Record<number, ErrorCode>> = {
  20003: 'server_misconfigured', // authentication failed: our credentials, not the caller's fault
  20429: 'rate_limited',
  60202: 'max_check_attempts',
  60203: 'max_send_attempts',
  60205: 'landline_not_supported',
  60212: 'rate_limited',
  // No email integration (Mailer) on the Service: for the caller, email is simply not offered.
  60217: 'channel_disabled',
  60223: 'channel_disabled',
  60410: 'destination_blocked', // Fraud Guard blocked the prefix
  60605: 'destination_blocked', // Verify geo-permissions
  // The Factors API (TOTP)
  60308: 'totp_rate_limited', // 5 wrong codes on one Challenge
  60310: 'max_totp_attempts', // 5 wrong codes while enrolling: the Factor can never be verified
  60312: 'totp_rate_limited', // Challenge creation limit for the Factor
  // 60311 (factor verification failed) and 60318 (factor unverified) read as a wrong code, but
  // only on the TOTP calls that can produce them: the flows pass them in `incorrectCode`.
};

/**
 * Verify sends no Retry-After with these: how long to wait is what the limit's window says
 * (a Challenge lives 5 minutes; Challenge creation is metered per hour).
 */
const DEFAULT_RETRY_AFTER: Readonly<Record<number, number>> = { 60308: 300, 60312: 3600 };

/** What to say, for the Twilio codes whose fix is known; field first when one input is concerned. */
const MESSAGES: Readonly<Record<number, { message: string; field?: string }>> = {
  60605: {
    field: 'to',
    message:
      "Verify's geo permissions block this country: allow it in the Twilio Console (Verify → Settings → Geo permissions).",
  },
  60410: { field: 'to', message: "Verify's Fraud Guard blocked this number's prefix (suspected SMS pumping)." },
  60212: {
    field: 'to',
    message: 'Another request for this destination is still in progress at Verify: try again in a moment.',
  },
};

/** Verify's parameter names as our API names them, for `Invalid parameter: To`. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  To: 'to',
  Channel: 'channel',
  Locale: 'locale',
  Code: 'code',
  VerificationSid: 'verificationSid',
  FriendlyName: 'friendlyName',
  CodeLength: 'codeLength',
  TtsName: 'ttsName',
  AuthPayload: 'code',
};

const TIMEOUT_ERRORS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

export interface MapOptions {
  /** What Twilio's 20404 means for this call (e.g. a gone verification, or a wrong service SID). */
  notFound: ErrorCode;
  /** Retry-After seconds from the response, when the transport kept it. */
  retryAfter?: number;
  /** Twilio codes that mean "wrong code" for this call (e.g. 60311 when verifying a TOTP factor). */
  incorrectCode?: readonly number[];
}

interface TwilioLikeError {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

function isTwilioRestError(err: unknown): err is TwilioLikeError & { status: number } {
  return typeof err === 'object' && err !== null && typeof (err as TwilioLikeError).status === 'number';
}

function invalidParameter(message: string, twilioCode: number): AppError {
  const match = /Invalid parameter:?\s*`?(\w+)`?/i.exec(message);
  if (match?.[1] === 'RateLimits') {
    return new AppError('server_misconfigured', {
      twilioCode,
      message: 'VERIFY_RATE_LIMITS is on but the Verify Service lacks the rate limits: run /create-service.',
    });
  }
  const field = match ? (FIELD_NAMES[match[1]] ?? match[1]) : undefined;
  const code: ErrorCode = field === 'to' ? 'invalid_phone_number' : 'invalid_request';
  return new AppError(code, { field, twilioCode, message: field ? `Verify rejected \`${field}\`.` : undefined });
}

/**
 * Maps anything the twilio SDK throws to the API's error. Twilio's code stays in
 * `twilioCode` so operators can look it up; its raw message never reaches the caller.
 */
export function mapVerifyError(err: unknown, options: MapOptions): AppError {
  if (err instanceof AppError) return err;
  if (isTwilioRestError(err)) {
    const twilioCode = typeof err.code === 'number' ? err.code : undefined;
    if (twilioCode === 20404 || (twilioCode === undefined && err.status === 404)) {
      return new AppError(options.notFound, { twilioCode: 20404 });
    }
    if (twilioCode === 60200 || twilioCode === 60221) return invalidParameter(String(err.message ?? ''), twilioCode);
    const mapped = twilioCode !== undefined ? TWILIO_CODE_TO_ERROR[twilioCode] : undefined;
    if (mapped === 'server_misconfigured') {
      return new AppError(mapped, {
        twilioCode,
        message: 'Twilio rejected the configured credentials (ACCOUNT_SID / AUTH_TOKEN).',
      });
    }
    if (twilioCode !== undefined && options.incorrectCode?.includes(twilioCode))
      return new AppError('incorrect_code', { twilioCode, field: 'code' });
    const retryAfter = options.retryAfter ?? (twilioCode !== undefined ? DEFAULT_RETRY_AFTER[twilioCode] : undefined);
    if (mapped)
      return new AppError(mapped, {
        twilioCode,
        retryAfter: mapped === 'rate_limited' || err.status === 429 ? retryAfter : undefined,
        ...MESSAGES[twilioCode ?? 0],
      });
    if (err.status >= 500) return new AppError('verify_unavailable', { twilioCode });
    if (err.status === 429) return new AppError('rate_limited', { twilioCode, retryAfter: options.retryAfter });
    return new AppError('verify_error', { twilioCode });
  }
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && TIMEOUT_ERRORS.has(code)) return new AppError('verify_timeout');
  // Anything else the transport throws (refused, reset, DNS, an answer that is not JSON) means
  // Verify could not be used: an outage from the caller's point of view.
  return new AppError('verify_unavailable');
}
