/**
 * What happened to a code on its way to the person, in words the page can show, from the
 * status Verify's Attempts API reports in an attempt's `channel_data` (`message_status` for
 * SMS, WhatsApp, RCS and email; `call_status` for voice). Statuses come from Twilio's OpenAPI
 * (`verification_attempt_enum_message_status`, `…_call_status`) and its Messaging and Voice
 * status docs: accepted → queued → sending → sent → delivered | undelivered | failed, and
 * queued → ringing → in-progress → completed | busy | no-answer | failed | canceled.
 */

export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
] as const;
type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const CALL_STATUSES = [
  'queued',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'ringing',
  'canceled',
] as const;
type CallStatus = (typeof CALL_STATUSES)[number];

/** Message states a person is told about. */
export type MessageDeliveryState = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
/** Call states a person is told about; `calling` covers ringing and an answered call still speaking. */
export type CallDeliveryState = 'queued' | 'calling' | 'completed' | 'no-answer' | 'busy' | 'failed';
export type DeliveryState = MessageDeliveryState | CallDeliveryState | 'unknown';

const MESSAGE_STATE: Readonly<Record<MessageStatus, MessageDeliveryState>> = {
  // Still with Twilio: accepted by the API, waiting for a send time or in the send queue.
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  // Handed to the carrier; no handset receipt (yet, or ever: many carriers send none).
  sent: 'sent',
  // Only some segments confirmed: the code may be in a missing one, so it is not "delivered".
  partially_delivered: 'sent',
  // Statuses of inbound messages; an outbound code never has them, but reaching a handset is what they mean.
  receiving: 'sent',
  received: 'delivered',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  // Canceled before sending (scheduled messages): it will not arrive.
  canceled: 'failed',
};

const CALL_STATE: Readonly<Record<CallStatus, CallDeliveryState>> = {
  queued: 'queued',
  ringing: 'calling',
  'in-progress': 'calling',
  completed: 'completed',
  'no-answer': 'no-answer',
  busy: 'busy',
  failed: 'failed',
  // Hung up by us before it was answered: the person never heard the code.
  canceled: 'failed',
};

const hasKey = <K extends string>(table: Readonly<Record<K, unknown>>, key: string): key is K =>
  Object.hasOwn(table, key);

export function messageDeliveryState(status: string): MessageDeliveryState | 'unknown' {
  return hasKey(MESSAGE_STATE, status) ? MESSAGE_STATE[status] : 'unknown';
}

export function callDeliveryState(status: string): CallDeliveryState | 'unknown' {
  return hasKey(CALL_STATE, status) ? CALL_STATE[status] : 'unknown';
}

/** The parts of an attempt (as the SDK or the wire gives it) that say how delivery went. */
export interface AttemptDelivery {
  channel: string;
  channelData?: unknown;
}

/** The delivery state of one attempt; `unknown` when Verify has not reported a status (yet). */
export function attemptDeliveryState(attempt: AttemptDelivery): DeliveryState {
  const data =
    typeof attempt.channelData === 'object' && attempt.channelData !== null
      ? (attempt.channelData as Record<string, unknown>)
      : {};
  if (attempt.channel === 'call') {
    const status = data['call_status'];
    return typeof status === 'string' ? callDeliveryState(status) : 'unknown';
  }
  const status = data['message_status'];
  return typeof status === 'string' ? messageDeliveryState(status) : 'unknown';
}

/** States after which nothing more will happen to this send. */
const FINAL: ReadonlySet<DeliveryState> = new Set([
  'delivered',
  'undelivered',
  'failed',
  'completed',
  'no-answer',
  'busy',
]);
/** States in which the person did not get the code: offer another channel at once. */
const NOT_RECEIVED: ReadonlySet<DeliveryState> = new Set(['undelivered', 'failed', 'no-answer', 'busy']);

export const isFinalDeliveryState = (state: DeliveryState): boolean => FINAL.has(state);
export const codeNotReceived = (state: DeliveryState): boolean => NOT_RECEIVED.has(state);
