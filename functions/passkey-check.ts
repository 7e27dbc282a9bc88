/**
 * POST /passkey-check — signs in with a passkey instead of a sent code.
 *
 * Params: `credential` (the JSON of the PublicKeyCredential navigator.credentials.get() returned) and
 * `to` as sent to /passkey-challenge, or no `to` for a discoverable challenge's answer (the passkey then
 * names the person).
 * 200: { ok, status: "approved", to (masked), token } — a proof token with `amr: ["hwk", "user"]`, `channel: "passkey"`
 * (it cannot add or remove factors: those need a sent code's token).
 * Errors: passkey_not_accepted (401: any refusal: another origin, a replayed or cloned credential, someone else's passkey),
 * invalid_phone_number, invalid_email, invalid_request, server_misconfigured, state_unavailable, verify_*.
 */
import { maskDestination } from '../src/domain/mask';
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
  state: true,
  async run({ input, serviceSid, config, event, connect, store, logTo }) {
    const named = input.to === undefined ? undefined : resolveEitherDestination(input.to, input.country);
    if (named) logTo(named.masked);
    const tokens = await requireTokenIssuer(config, event);
    const { status, destination } = await checkPasskey(connect(), store, config, serviceSid, named && subjectId(named.to, config), input);
    const to = named?.to ?? (destination as string);
    const masked = named?.masked ?? maskDestination(to);
    return { body: { ok: true, status, to: masked, token: await tokens.issue({ to, channel: 'passkey' }) }, to: masked };
  },
});
