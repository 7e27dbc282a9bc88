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
import { passkeyConfirmSchema } from '../src/domain/schemas/passkeys';
import { confirmPasskey } from '../src/flows/passkey-confirm';
import { firstRecoveryCodes } from '../src/flows/recovery-codes';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'passkey-confirm',
  input: passkeyConfirmSchema,
  service: true,
  state: true,
  async run({ input, serviceSid, config, event, connect, store }) {
    const tokens = await requireTokenIssuer(config, event);
    const { subject, destination, ...confirmed } = await confirmPasskey(connect(), store, config, serviceSid, input);
    const recoveryCodes = await firstRecoveryCodes(store, config, subject);
    return { body: { ...confirmed, token: await tokens.issue({ to: destination, channel: 'passkey' }), ...(recoveryCodes && { recoveryCodes }) } };
  },
});
