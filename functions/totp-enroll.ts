/** POST /totp-enroll: the Verify Entity is a keyed hash of the token's `sub`; earlier unfinished enrolments are removed. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { totpEnrollResponse } from '../src/contract/responses';
import { maskDestination } from '../src/domain/mask';
import { noParamsSchema } from '../src/domain/schemas/totp';
import { spendProofToken } from '../src/flows/single-use';
import { enrollTotp } from '../src/flows/totp-enroll';
import { defineRoute } from '../src/http/define-route';
import { sentCodeProofAuth } from '../src/tokens/bearer';

export const handler = defineRoute({
  name: 'totp-enroll',
  tag: 'totp',
  summary: 'Add an authenticator app',
  description:
    "For the person a proof token names (one from a code sent by SMS, call, email, WhatsApp or RCS: an authenticator sign-in's is 403 `sent_code_required`; each token adds or removes once): creates a TOTP factor and answers its QR code (SVG), `otpauth://` URI, Base32 secret and an enrolment handle for /totp-confirm.",
  auth: sentCodeProofAuth,
  input: noParamsSchema,
  responses: { 200: totpEnrollResponse },
  errors: [...TOTP_VERIFY_ERRORS, 'invalid_token', 'sent_code_required'],
  service: true,
  state: true,
  async run(route) {
    const { who } = route;
    const masked = maskDestination(who.destination);
    await spendProofToken(route.store, route.config, who, Date.now());
    const enrolment = await enrollTotp(route, {
      subject: who.subject,
      destination: who.destination,
      maskedDestination: masked,
    });
    return { body: enrolment, to: masked };
  },
});
