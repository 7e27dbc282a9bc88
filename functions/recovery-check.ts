/** POST /recovery-check: 5 attempts an hour and 20 a day per destination; a wrong, used or replaced code is one answer. */
import { recoveryCheckResponse } from '../src/contract/responses';
import { recoveryCheckSchema } from '../src/domain/schemas/recovery';
import { checkRecoveryCode } from '../src/flows/recovery-codes';
import { withSignInDestination } from '../src/flows/totp-check';
import { defineRoute } from '../src/http/define-route';
import { requireTokenIssuer } from '../src/tokens/proof-token';
import { subjectId } from '../src/tokens/subject';

export const handler = defineRoute({
  name: 'recovery-check',
  tag: 'recovery',
  summary: 'Sign in with a recovery code',
  description:
    'Each code works once. A wrong, used or replaced code, and a destination without codes, are 401 `incorrect_code`; 5 attempts an hour and 20 a day per destination. The token says `channel: "recovery"` and cannot add or remove factors.',
  input: recoveryCheckSchema,
  responses: { 200: recoveryCheckResponse },
  errors: ['incorrect_code', 'recovery_rate_limited', 'invalid_phone_number', 'invalid_email'],
  state: true,
  run(route) {
    const { input, config, event, logTo } = route;
    // As /totp-check: an E.164 number is tried as typed first (parsing is most of a cold start),
    // and parsed only when that misses; each spelling has its own budget, counted once.
    return withSignInDestination(input.to, input.country, async ({ to, masked }) => {
      logTo(masked);
      const tokens = await requireTokenIssuer(config, event);
      const { status, remaining } = await checkRecoveryCode(route, {
        subject: subjectId(to, config),
        code: input.code,
      });
      return {
        body: {
          ok: true as const,
          status,
          to: masked,
          remaining,
          token: await tokens.issue({ to, channel: 'recovery' }),
        },
        to: masked,
      };
    });
  },
});
