/** Shared helpers for the emulator suites: an SDK client on an emulator, raw calls, error assertions. */
import twilio from 'twilio';
import RestException from 'twilio/lib/base/RestException';
import {
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorResponse,
} from '../../emulator';

export const BASIC_AUTH = `Basic ${Buffer.from(`${EMULATOR_ACCOUNT_SID}:${EMULATOR_AUTH_TOKEN}`).toString('base64')}`;

/** Twilio's date wire format: ISO 8601 without fractions. */
export const TWILIO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Send attempt times: ISO 8601 with milliseconds, as live. */
export const ATTEMPT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function sdkFor(emulator: Emulator, authToken = EMULATOR_AUTH_TOKEN) {
  return twilio(EMULATOR_ACCOUNT_SID, authToken, { httpClient: emulator.httpClient });
}

/** A fresh emulator with an SDK client and the seeded service's Verify context. */
export function setup(options: EmulatorOptions = {}) {
  const emulator = createEmulator(options);
  const client = sdkFor(emulator);
  return { emulator, client, service: client.verify.v2.services(EMULATOR_SERVICE_SID) };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Asserts the SDK raised a genuine RestException with this Twilio code and HTTP status. */
export async function expectTwilioError(
  promise: Promise<unknown>,
  code: number,
  status: number,
  message?: string | RegExp,
) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(RestException);
  expect(error).toMatchObject({ code, status, moreInfo: `https://www.twilio.com/docs/errors/${code}` });
  if (message !== undefined) expect((error as RestException).message).toMatch(message);
  return error as RestException;
}

/** A /v2 call through `handle` with chosen params and auth, for what the SDK will not send. */
export async function rawV2(
  emulator: Emulator,
  method: string,
  path: string,
  params: Record<string, string> = {},
  /** null sends no Authorization header. */
  authorization: string | null = BASIC_AUTH,
): Promise<EmulatorResponse & { json: Record<string, unknown> }> {
  const query = method === 'GET' ? `?${new URLSearchParams(params)}` : '';
  const response = await emulator.handle({
    method,
    path: `${path}${query}`,
    headers: { authorization: authorization ?? undefined, 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'GET' ? '' : new URLSearchParams(params).toString(),
  });
  return { ...response, json: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
}

/** The code in the latest message to `to`. */
export function latestCode(emulator: Emulator, to: string): string {
  const message = emulator.messages({ to }).at(-1);
  if (!message) throw new Error(`no message to ${to}`);
  return message.code;
}

/** A code that is certainly not `code` (same length). */
export function wrongCodeFor(code: string): string {
  return code.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
}

export { EMULATOR_SERVICE_SID };
