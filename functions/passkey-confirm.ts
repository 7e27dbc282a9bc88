/**
 * POST /passkey-confirm — finishes adding a passkey with the authenticator's attestation.
 *
 * Params: `handle` (from /passkey-register) and `credential` (the JSON of the PublicKeyCredential
 * navigator.credentials.create() returned: `JSON.stringify(credential)`).
 * 200: { ok, status: "verified", factorSid, token, recoveryCodes? } — a proof token with `amr: ["hwk", "user"]`, `channel: "passkey"`;
 * `recoveryCodes` (10, shown this once) when the person had none yet.
 * Errors: passkey_not_accepted (401: Verify refused the attestation: wrong challenge, origin or RP id, no user verification),
 * invalid_enrolment_handle (400: changed, expired or already confirmed), invalid_request, server_misconfigured, state_unavailable, verify_*.
 */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyConfirmResponse } from '../src/contract/responses';
import { passkeyConfirmSchema } from '../src/domain/schemas/passkeys';
import { confirmPasskey } from '../src/flows/passkey-confirm';
import { firstRecoveryCodes } from '../src/flows/recovery-codes';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'passkey-confirm',
  tag: 'passkeys',
  summary: "Confirm a passkey with the authenticator's attestation",
  description:
    'Verify checks the attestation (challenge, origin, RP id, user verification). Any refusal is 401 `passkey_not_accepted`. Answers a proof token, and the first recovery codes when the person had none.',
  input: passkeyConfirmSchema,
  responses: { 200: passkeyConfirmResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_enrolment_handle', 'passkey_not_accepted'],
  service: true,
  state: true,
  async run(route) {
    const tokens = await requireTokenIssuer(route.config, route.event);
    const { subject, destination, ...confirmed } = await confirmPasskey(route, route.input);
    const recoveryCodes = await firstRecoveryCodes(route, { subject });
    return {
      body: {
        ...confirmed,
        token: await tokens.issue({ to: destination, channel: 'passkey' }),
        ...(recoveryCodes && { recoveryCodes }),
      },
    };
  },
});
