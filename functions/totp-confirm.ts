/**
 * POST /totp-confirm — finishes adding an authenticator app with its first code.
 *
 * Params: `handle` (from /totp-enroll) and `code` (3–8 digits from the app).
 * 200: { ok, status: "verified", factorSid, token } — `token` is a proof token with `amr: ["otp"]`, `channel: "totp"`
 * for the destination that enrolled; `recoveryCodes` (10, shown this once) when the person had none yet.
 * Errors: incorrect_code (401), invalid_enrolment_handle (400: changed, expired, replaced or already confirmed),
 * max_totp_attempts (429 after 5 wrong codes: enrol again), server_misconfigured (no TOKEN_SIGNING_KEY), verify_*.
 */
import { totpConfirmSchema } from '../src/domain/schemas/totp';
import { confirmTotp } from '../src/flows/totp-confirm';
import { firstRecoveryCodes } from '../src/flows/recovery-codes';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'totp-confirm',
  input: totpConfirmSchema,
  service: true,
  state: true,
  async run({ input, serviceSid, config, event, connect, store }) {
    const tokens = await requireTokenIssuer(config, event);
    const { subject, destination, ...confirmed } = await confirmTotp(connect(), store, config, serviceSid, input);
    const recoveryCodes = await firstRecoveryCodes(store, config, subject);
    return { body: { ...confirmed, token: await tokens.issue({ to: destination, channel: 'totp' }), ...(recoveryCodes && { recoveryCodes }) } };
  },
});
