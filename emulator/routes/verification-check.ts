import { z } from 'zod';
import { CODE_PATTERN } from '../codes';
import { TwilioApiError } from '../errors';
import { checkVerification } from '../lifecycle';
import { requireService } from '../lookups';
import { parseParams } from '../params';
import { verificationCheckJson } from '../representations';
import type { Route } from '../router';

const checkParams = z.object({
  Code: z.string().regex(CODE_PATTERN),
  To: z.string().min(1).optional(),
  VerificationSid: z.string().min(1).optional(),
  Amount: z.string().optional(),
  Payee: z.string().optional(),
});

export const verificationCheckRoutes: Route[] = [
  {
    // The spec lists 201 and 200; the live API (and the SDK's examples) answer 200.
    method: 'POST',
    path: '/v2/Services/:ServiceSid/VerificationCheck',
    handle(context) {
      const service = requireService(context);
      if (!context.form['To'] && !context.form['VerificationSid']) throw TwilioApiError.of('noVerificationTarget');
      const params = parseParams(checkParams, context.form);
      const verification = checkVerification(
        context.state,
        service,
        { to: params.To, verificationSid: params.VerificationSid },
        params.Code,
        context.resourcePath,
      );
      return { status: 200, body: verificationCheckJson(verification, context.state.config.accountSid) };
    },
  },
];
