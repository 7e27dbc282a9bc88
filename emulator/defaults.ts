/**
 * Credentials and the seeded service the emulator answers to unless configured otherwise.
 * The shapes (AC + 32 hex, 32-char token) pass twilio-run's local `getTwilioClient()` checks
 * and the SDK's "accountSid must start with AC" rule, so the functions need no special case.
 */
export const EMULATOR_ACCOUNT_SID = 'AC' + 'e0'.repeat(16);
export const EMULATOR_AUTH_TOKEN = 'e0'.repeat(16);
export const EMULATOR_SERVICE_SID = 'VA' + 'e0'.repeat(16);
/** The Sync Service seeded beside the Verify one (`seedSync`), fixed so local config can name it. */
export const EMULATOR_SYNC_SERVICE_SID = 'IS' + 'e0'.repeat(16);

export const DEFAULT_SERVICE_FRIENDLY_NAME = 'Verify Emulator';
export const DEFAULT_CODE_LENGTH = 6;
export const DEFAULT_SYNC_FRIENDLY_NAME = 'Sync Emulator';

/** Host the SDK talks to; every `url` in a response is absolute on it, exactly as on Twilio. */
export const VERIFY_BASE_URL = 'https://verify.twilio.com';

/** Sync's host: the SDK's `client.sync.v1` URIs and every Sync `url` are on it. */
export const SYNC_BASE_URL = 'https://sync.twilio.com';
