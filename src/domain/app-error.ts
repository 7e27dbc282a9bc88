import { ERROR_CODES, type ErrorCode } from './error-codes';

export interface AppErrorDetails {
  message?: string;
  /** The input the error concerns, so a form can show it next to the right field. */
  field?: string;
  /** The Twilio error code behind this error, kept visible for support. */
  twilioCode?: number;
  /** Seconds the caller should wait before retrying. */
  retryAfter?: number;
  /** Extra top-level fields for the body (e.g. the verification `status`). */
  extra?: Record<string, string | number | boolean>;
}

/** An error the API answers with; its HTTP status comes from the error table. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly twilioCode?: number;
  readonly retryAfter?: number;
  readonly extra?: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, details: AppErrorDetails = {}) {
    super(details.message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.field = details.field;
    this.twilioCode = details.twilioCode;
    // Every 429 says when to come back: the flow's exact wait, else the limit's own window.
    const entry = ERROR_CODES[code];
    this.retryAfter = details.retryAfter ?? ('retryAfter' in entry ? entry.retryAfter : undefined);
    this.extra = details.extra;
  }
}
