/** POST /passkey-register: the passkey joins the Verify Entity of the token's `sub` (its authenticator apps'); the relying party comes from PASSKEY_RP_ID, PASSKEY_RP_NAME, PASSKEY_ORIGINS. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyRegisterResponse } from '../src/contract/responses';
import { maskDestination } from '../src/domain/mask';
import { relyingParty } from '../src/domain/relying-party';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { registerPasskey } from '../src/flows/passkey-register';
import { spendProofToken } from '../src/flows/single-use';
import { defineRoute } from '../src/http/define-route';
import { loopbackHost } from '../src/http/request';
import { sentCodeProofAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'passkey-register',
  tag: 'passkeys',
  summary: 'Add a passkey',
  description:
    "For the person a proof token names (one from a code sent to them: an authenticator app's, a passkey's or a recovery code's is 403 `sent_code_required`; each token is spent once): creates a Passkeys factor at Verify and answers its WebAuthn creation options and a registration handle for /passkey-confirm.",
  auth: sentCodeProofAuth,
  input: noParamsSchema,
  responses: { 200: passkeyRegisterResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required'],
  service: true,
  state: true,
  async run(route) {
    const { who } = route;
    const rp = relyingParty(route.config, loopbackHost(route.event));
    const masked = maskDestination(who.destination);
    await spendProofToken(route.store, route.config, who, Date.now());
    const result = await registerPasskey(route, {
      subject: who.subject,
      destination: who.destination,
      maskedDestination: masked,
      relyingParty: rp,
    });
    return { body: result, to: masked };
  },
});
