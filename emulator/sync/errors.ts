import { TwilioApiError } from '../errors';

/**
 * The Sync errors the emulator answers with (20003, 20404, 20405 and faults come from
 * ../errors.ts). Codes and wording follow https://www.twilio.com/docs/api/errors/<code>; the
 * statuses 409 (54208, 54301) and 412 (revision mismatch) are what Twilio's own Sync SDK
 * checks for (twilio-sync-sdk, ErrorInfoExtensions.kt). Twilio documents no status for the
 * rest: 400, except 413 for 54006 whose title is HTTP 413's reason phrase.
 */
export const SYNC_ERRORS = {
  // Sync documents no code for a malformed Service flag or window; 20000 + status, as faults use.
  invalidParameter: { code: 20400, status: 400, message: 'Invalid parameter' },
  entityTooLarge: {
    code: 54006,
    status: 413,
    message: "Request entity too large: the size of the 'Data' parameter exceeds 16 KiB",
  },
  invalidJson: { code: 54008, status: 400, message: "Invalid JSON: the 'Data' parameter is not valid JSON" },
  noParameters: {
    code: 54010,
    status: 400,
    message: 'No parameters specified: expected at least 1 optional parameter, but none were provided',
  },
  invalidTtl: {
    code: 54011,
    status: 400,
    message: 'Invalid TTL: the TTL value in seconds must either be empty or an integer between 0 and 31536000 (1 year)',
  },
  // 54205 is the Map Item's code (54103 is a Document's, 54155 a List Item's).
  mapItemRevisionMismatch: {
    code: 54205,
    status: 412,
    message: 'The actual revision of the Map Item does not match the expected revision',
  },
  invalidMapItemData: {
    code: 54206,
    status: 400,
    message: "Invalid Map Item data: the 'Data' parameter must be a JSON object",
  },
  mapItemExists: {
    code: 54208,
    status: 409,
    message: 'Map Item already exists: a Map Item with the given key already exists in the Map',
  },
  // The error page still says 1–256; the API reference (and the spec) now say up to 320.
  invalidMapItemKey: {
    code: 54209,
    status: 400,
    message: 'Invalid Map Item key: the key must be a string of 1 to 320 characters',
  },
  uniqueNameExists: {
    code: 54301,
    status: 409,
    message: 'Unique name already exists: an object with the specified unique name already exists',
  },
  invalidUniqueName: {
    code: 54302,
    status: 400,
    message:
      'Invalid unique name: the unique name must be a string of 1 to 256 characters that does not look like a SID',
  },
} as const;

export type SyncErrorName = keyof typeof SYNC_ERRORS;

export function syncError(name: SyncErrorName, message?: string): TwilioApiError {
  const error = SYNC_ERRORS[name];
  return new TwilioApiError(error.code, error.status, message ?? error.message);
}
