/** POST /passkey-confirm: `handle` from /passkey-register, `credential` the JSON of navigator.credentials.create()'s answer; the first recovery codes come with it. */
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
