/**
 * The channels a Verify verification can be sent by, as Verify's `Channel` parameter names them
 * (twilio.com/docs/verify/api/verification).
 */
export const VERIFY_CHANNELS = ['sms', 'call', 'email', 'whatsapp', 'rcs'] as const;
export type VerifyChannel = (typeof VERIFY_CHANNELS)[number];

/** The Attempts API names a channel as the Verification API does, except RCS, which it calls `rbm`. */
export const ATTEMPT_CHANNEL_NAMES = {
  sms: 'sms',
  call: 'call',
  email: 'email',
  whatsapp: 'whatsapp',
  rcs: 'rbm',
} as const satisfies Record<VerifyChannel, string>;
export type AttemptChannel = (typeof ATTEMPT_CHANNEL_NAMES)[VerifyChannel];
export const ATTEMPT_CHANNELS: readonly AttemptChannel[] = VERIFY_CHANNELS.map(
  (channel) => ATTEMPT_CHANNEL_NAMES[channel],
);
