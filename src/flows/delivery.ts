import { attemptDeliveryState, type DeliveryState } from '../domain/delivery-state';
import type { VerificationHandle } from '../security/verification-handle';
import { failedSendSkipsCooldown, ownsLatestSend } from './handles';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';

const ATTEMPTS_URL = 'https://verify.twilio.com/v2/Attempts';
/** A verification has at most a handful of sends (Verify stops the 6th in its window). */
const PAGE_SIZE = 20;

interface WireAttempt {
  sid?: unknown;
  channel?: unknown;
  channel_data?: unknown;
}

/** A send attempt of `send_code_attempts`, as Verify lists it (snake_case on the wire, kept by the SDK). */
interface SendCodeAttempt {
  attempt_sid?: unknown;
  attemptSid?: unknown;
}

/** The attempt SIDs of `send_code_attempts`, in send order (undefined where Verify gave none). */
export function sendAttemptSids(raw: unknown): Array<string | undefined> {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry: SendCodeAttempt | null) => {
    const sid = entry?.attempt_sid ?? entry?.attemptSid;
    return typeof sid === 'string' ? sid : undefined;
  });
}

/**
 * The delivery state of each attempt of one verification, by attempt SID, from one Attempts
 * API page filtered by VerificationSid. Read as wire JSON through the SDK's request path (its
 * auth and transport): the SDK's list() would load and build resource objects for a handful
 * of fields, which shows on a cold start.
 */
export async function deliveryStates(
  connection: VerifyConnection,
  verificationSid: string,
): Promise<Map<string, DeliveryState>> {
  const query = new URLSearchParams({ VerificationSid: verificationSid, PageSize: String(PAGE_SIZE) });
  const states = new Map<string, DeliveryState>();
  let body: { attempts?: WireAttempt[]; code?: unknown; message?: unknown } | undefined;
  try {
    const response = await connection.client.request({ method: 'get', uri: `${ATTEMPTS_URL}?${query.toString()}` });
    body = (typeof response.body === 'string' ? JSON.parse(response.body) : response.body) as typeof body;
    if (response.statusCode >= 400) {
      throw Object.assign(new Error(String(body?.message ?? 'Twilio error')), {
        status: response.statusCode,
        code: body?.code,
      });
    }
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'verification_not_found', retryAfter: connection.lastRetryAfter() });
  }
  for (const attempt of body?.attempts ?? []) {
    if (typeof attempt.sid !== 'string' || typeof attempt.channel !== 'string') continue;
    states.set(
      attempt.sid,
      attemptDeliveryState({ channel: attempt.channel.toLowerCase(), channelData: attempt.channel_data }),
    );
  }
  return states;
}

/** failedSendSkipsCooldown (handles.ts) for a handle, with the latest send's state fetched from Verify's Attempts API. */
export async function latestSendFailed(
  connection: VerifyConnection,
  handle: Pick<VerificationHandle, 'verificationSid' | 'attemptOffset' | 'knownAttempts'>,
  rawAttempts: unknown,
): Promise<boolean> {
  const sids = sendAttemptSids(rawAttempts);
  const latest = sids[sids.length - 1];
  if (latest === undefined || !ownsLatestSend(handle, sids.length)) return false;
  try {
    const states = await deliveryStates(connection, handle.verificationSid);
    return failedSendSkipsCooldown(handle, sids.length, states.get(latest) ?? 'unknown');
  } catch {
    // Not knowing is not a failed send: the caller gets the ordinary wait.
    return false;
  }
}
