/** POST /totp-confirm: the proof token names the destination that enrolled; `recoveryCodes` (10, shown this once) when the person had none yet. */
import { TOTP_VERIFY_ERRORS } from '../src/contract/error-groups';
import { totpConfirmResponse } from '../src/contract/responses';
import { totpConfirmSchema } from '../src/domain/schemas/totp';
import { confirmTotp } from '../src/flows/totp-confirm';
import { firstRecoveryCodes } from '../src/flows/recovery-codes';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';

export const handler = defineRoute({
  name: 'totp-confirm',
  tag: 'totp',
  summary: 'Confirm an authenticator app with its first code',
  description:
    'A wrong code is 401 `incorrect_code`; the 5th is 429 `max_totp_attempts` (the factor is removed: enrol again). Answers a proof token.',
  input: totpConfirmSchema,
  responses: { 200: totpConfirmResponse },
  errors: [
    ...TOTP_VERIFY_ERRORS,
    'invalid_enrolment_handle',
    'confirm_in_progress',
    'incorrect_code',
    'max_totp_attempts',
  ],
  service: true,
  state: true,
  async run(route) {
    const tokens = await requireTokenIssuer(route.config, route.event);
    const { subject, destination, ...confirmed } = await confirmTotp(route, route.input);
    const recoveryCodes = await firstRecoveryCodes(route, { subject });
    return {
      body: {
        ...confirmed,
        token: await tokens.issue({ to: destination, channel: 'totp' }),
        ...(recoveryCodes && { recoveryCodes }),
      },
    };
  },
});
