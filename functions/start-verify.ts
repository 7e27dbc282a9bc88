/**
 * POST /start-verify — sends a one-time code.
 *
 * Params: `to` (phone number or email), `channel` (sms | call | voice | email | whatsapp | rcs,
 * default sms), `locale` (a Verify language such as en, fr, pt-BR), `country` (ISO alpha-2,
 * lets `to` be a national number), `clientKey` (e.g. a device id, metered when VERIFY_RATE_LIMITS is on).
 * Phone destinations must be in ALLOWED_COUNTRIES and of a type the channel can serve.
 * `phone` / `email`: other destinations a later /resend-verify may fall back to.
 * WhatsApp refused by Verify (channel disabled or not set up) goes by SMS instead unless
 * WHATSAPP_SMS_FALLBACK=false; `channel` always echoes the request.
 * Every send to a destination waits for its cooldown (429 resend_too_soon), whoever asks and
 * however many ask at once; a start replaces a code still pending for the destination (it never
 * joins another caller's code). At most 5 sends per destination per 10 minutes (max_send_attempts).
 * 200: { ok, verification (the handle: keep it), to (masked), channel, status: "pending",
 *      sendCodeAttempts, retryAfter, nextChannel? }
 * Errors: resend_too_soon, max_check_attempts (the destination is locked out), invalid_request, invalid_phone_number, invalid_email, unsupported_channel,
 * max_send_attempts, rate_limited, destination_blocked, channel_disabled,
 * landline_not_supported, server_misconfigured, verify_unavailable, verify_timeout.
 */
import { startVerifySchema } from '../src/domain/schemas/start-verify';
import { startVerification } from '../src/flows/start-verification';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'start-verify',
  input: startVerifySchema,
  service: true,
  state: true,
  run: ({ input, serviceSid, config, connect, store }) => startVerification(connect(), store, serviceSid, input, config),
});
