/**
 * POST /recovery-check — signs in with a recovery code when the phone or authenticator is lost.
 *
 * Params: `to` (the phone number or email the codes were made for; `country` for a national number)
 * and `code` (one recovery code; case, spaces and dashes do not matter).
 * 200: { ok, status: "approved", to (masked), remaining, token } — a proof token with `amr: ["otp"]`,
 * `channel: "recovery"`: it cannot add or remove factors or make new codes (those need a sent code's).
 * Each code works once.
 * Errors: incorrect_code (401: wrong, used, from an earlier set, or no codes for `to`: the same answer),
 * recovery_rate_limited (429 with retryAfter: 5 attempts an hour, 20 a day per destination),
 * invalid_phone_number, invalid_email, invalid_request, server_misconfigured, state_unavailable (503).
 */
import { resolveEitherDestination } from '../src/domain/destination';
import { recoveryCheckSchema } from '../src/domain/schemas/recovery';
import { checkRecoveryCode } from '../src/flows/recovery-codes';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'recovery-check',
  input: recoveryCheckSchema,
  state: true,
  async run({ input, config, event, store, logTo }) {
    const { to, masked } = resolveEitherDestination(input.to, input.country);
    logTo(masked);
    const tokens = await requireTokenIssuer(config, event);
    const { status, remaining } = await checkRecoveryCode(store, config, subjectId(to, config), input.code);
    return { body: { ok: true, status, to: masked, remaining, token: await tokens.issue({ to, channel: 'recovery' }) }, to: masked };
  },
});
