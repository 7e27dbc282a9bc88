/**
 * Every Twilio error the emulator answers with: one table of code, HTTP status and message,
 * and the legacy body `{code, message, more_info, status}` that makes twilio-node throw a
 * RestException (never the RFC 9457 shape, which it would turn into TwilioServiceException).
 * Codes, statuses and messages follow https://www.twilio.com/docs/api/errors/<code>.
 */
export const TWILIO_ERRORS = {
  authenticationFailed: { code: 20003, status: 401, message: 'Authenticate' },
  methodNotAllowed: { code: 20004, status: 405, message: 'Method not allowed' },
  notFound: { code: 20404, status: 404, message: 'The requested resource was not found' },
  tooManyRequests: { code: 20429, status: 429, message: 'Too Many Requests' },
  internalError: { code: 20500, status: 500, message: 'Internal Server Error' },
  serviceUnavailable: { code: 20503, status: 503, message: 'Service Unavailable' },
  invalidParameter: { code: 60200, status: 400, message: 'Invalid parameter' },
  maxCheckAttempts: { code: 60202, status: 429, message: 'Max check attempts reached' },
  maxSendAttempts: { code: 60203, status: 429, message: 'Max send attempts reached' },
  featureNotEnabled: { code: 60204, status: 403, message: 'Service does not support this feature' },
  rateLimitExists: { code: 60208, status: 400, message: 'Rate limit with that UniqueName already exists' },
  uniqueNameInvalid: { code: 60209, status: 400, message: 'UniqueName format is invalid' },
  // twilio.com/docs/api/errors/60217: "Invalid Service configuration", no email integration.
  emailIntegrationMissing: {
    code: 60217,
    status: 400,
    message: 'Add an email integration before using the Email channel.',
  },
  noVerificationTarget: { code: 60221, status: 400, message: 'No target verification specified' },
  // The Factors API (TOTP): Entities, Factors, Challenges.
  entityExists: { code: 60301, status: 409, message: 'Entity already exists' },
  maxChallengeAttempts: { code: 60308, status: 429, message: 'Challenge verification attempts limit reached' },
  maxFactorAttempts: { code: 60310, status: 429, message: 'Factor verification attempts reached' },
  factorVerificationFailed: { code: 60311, status: 403, message: 'Factor verification failed' },
  maxChallenges: { code: 60312, status: 429, message: 'Max challenges reached' },
  factorUnverified: { code: 60318, status: 403, message: 'Factor is unverified' },
  challengeResponded: { code: 60322, status: 403, message: 'The Challenge was already responded before' },
  challengeExpired: { code: 60323, status: 403, message: 'Challenge verification window expired' },
  invalidEntity: { code: 60366, status: 400, message: 'Entity invalid or not provided' },
} as const;

export type TwilioErrorName = keyof typeof TWILIO_ERRORS;

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** Thrown by route code; the router turns it into the legacy error response. */
export class TwilioApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  static of(name: TwilioErrorName, overrides: { message?: string; headers?: Record<string, string> } = {}) {
    const { code, status, message } = TWILIO_ERRORS[name];
    return new TwilioApiError(code, status, overrides.message ?? message, overrides.headers);
  }

  toBody(): TwilioErrorBody {
    return errorBody(this.code, this.status, this.message);
  }
}

export function errorBody(code: number, status: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** 60200 naming the parameter, as Verify does: `Invalid parameter: To`. */
export function invalidParameter(name: string): TwilioApiError {
  return TwilioApiError.of('invalidParameter', { message: `Invalid parameter: ${name}` });
}

/** 20404 naming the resource path without the version prefix, as Twilio does. */
export function notFound(resourcePath: string): TwilioApiError {
  return TwilioApiError.of('notFound', { message: `The requested resource ${resourcePath} was not found` });
}

/** The Twilio code that goes with an HTTP status when a fault names only the status. */
export function defaultCodeForStatus(status: number): number {
  return status === 401 ? TWILIO_ERRORS.authenticationFailed.code : 20000 + status;
}
