/**
 * POST /passkey-check — signs in with a passkey instead of a sent code.
 *
 * Params: `to` (as sent to /passkey-challenge) and `credential` (the JSON of the PublicKeyCredential
 * navigator.credentials.get() returned).
 * 200: { ok, status: "approved", to (masked), token } — a proof token with `amr: ["hwk", "user"]`, `channel: "passkey"`
 * (it cannot add or remove factors: those need a sent code's token).
 * Errors: passkey_not_accepted (401: any refusal: another origin, a replayed or cloned credential, someone else's passkey),
 * invalid_phone_number, invalid_email, invalid_request, server_misconfigured, verify_*.
 */
import { resolveEitherDestination } from '../src/domain/destination';
import { passkeyCheckSchema } from '../src/domain/schemas/passkeys';
import { checkPasskey } from '../src/flows/passkey-sign-in';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'passkey-check',
  input: passkeyCheckSchema,
  service: true,
  async run({ input, serviceSid, config, event, connect, logTo }) {
    const { to, masked } = resolveEitherDestination(input.to, input.country);
    logTo(masked);
    const tokens = await requireTokenIssuer(config, event);
    const { status } = await checkPasskey(connect(), config, serviceSid, subjectId(to, config), input);
    return { body: { ok: true, status, to: masked, token: await tokens.issue({ to, channel: 'passkey' }) }, to: masked };
  },
});
