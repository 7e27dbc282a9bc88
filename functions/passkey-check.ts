/** POST /passkey-check: `to` as sent to /passkey-challenge, or none for a discoverable answer (the passkey names the person); the token cannot add or remove factors. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { passkeyCheckResponse } from '../src/contract/responses';
import { maskDestination } from '../src/domain/mask';
import { resolveEitherDestination, type Destination } from '../src/domain/destination';
import { passkeyCheckSchema } from '../src/domain/schemas/passkeys';
import { checkPasskey } from '../src/flows/passkey-sign-in';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

/** A phone number written as E.164 already (as in src/flows/totp-check.ts). */
const E164 = /^\+[1-9]\d{6,14}$/;

export const handler = defineRoute({
  name: 'passkey-check',
  tag: 'passkeys',
  summary: 'Sign in with a passkey',
  description:
    'Verify checks the assertion (challenge, origin, RP id, signature, counter, user verification) and approves its challenge once. Any refusal is 401 `passkey_not_accepted`. Answers a proof token.',
  input: passkeyCheckSchema,
  responses: { 200: passkeyCheckResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'passkey_not_accepted', 'invalid_phone_number', 'invalid_email'],
  service: true,
  state: true,
  async run(route) {
    const { input, config } = route;
    // An E.164 number is taken as typed (parsing is most of a cold start); it is parsed only when
    // the approving passkey is not the typed spelling's, as /totp-check does (src/flows/totp-check.ts).
    const typed =
      input.to === undefined
        ? undefined
        : E164.test(input.to)
          ? { to: input.to, masked: maskDestination(input.to) }
          : resolveEitherDestination(input.to, input.country);
    let parsed: Destination | undefined;
    const reparse = () => {
      if (input.to === undefined || typed === undefined || !E164.test(input.to)) return undefined;
      parsed = resolveEitherDestination(input.to, input.country);
      return subjectId(parsed.to, config);
    };
    if (typed) route.logTo(typed.masked);
    const tokens = await requireTokenIssuer(config, route.event);
    const { status, destination, matched } = await checkPasskey(route, {
      credential: input.credential,
      subject: typed && subjectId(typed.to, config),
      otherSubject: reparse,
    });
    const named = matched === 'other' ? parsed : typed;
    const to = named?.to ?? (destination as string);
    const masked = named?.masked ?? maskDestination(to);
    return {
      body: { ok: true as const, status, to: masked, token: await tokens.issue({ to, channel: 'passkey' }) },
      to: masked,
    };
  },
});
