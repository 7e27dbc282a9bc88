import { z } from 'zod';
import { CODE_PATTERN } from '../codes';
import { isEmailAddress, isPhoneNumber } from '../destinations';
import { TwilioApiError, invalidParameter } from '../errors';
import { isSupportedLocale } from '../locales';
import { isValidNumber } from '../phone-validity';
import { pendingVerification, startVerification, updateVerificationStatus } from '../lifecycle';
import { requireService } from '../lookups';
import { formJsonObject, parseParams } from '../params';
import { meterRateLimits } from '../rate-limit-meter';
import { verificationJson } from '../representations';
import type { Route } from '../router';
import { CHANNELS } from '../types';

const startParams = z
  .object({
    To: z.string().min(1),
    // `sna` and `auto` need carrier integrations the emulator cannot fake; Verify answers
    // 60200 for channels an account has no access to, and so does the emulator.
    Channel: z.enum(CHANNELS),
    Locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
      .optional(),
    CustomCode: z.string().regex(CODE_PATTERN).optional(),
    CustomFriendlyName: z.string().min(1).max(30).optional(),
    AppHash: z.string().optional(),
    Amount: z.string().optional(),
    Payee: z.string().optional(),
    RateLimits: formJsonObject.optional(),
    ChannelConfiguration: formJsonObject.optional(),
  })
  .superRefine((params, ctx) => {
    const valid = params.Channel === 'email' ? isEmailAddress(params.To) : isPhoneNumber(params.To);
    if (!valid) ctx.addIssue({ code: 'custom', path: ['To'], message: 'To does not fit the channel' });
  });

const updateParams = z.object({ Status: z.enum(['canceled', 'approved']) });

export const verificationRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Verifications',
    handle(context) {
      const service = requireService(context);
      const params = parseParams(startParams, context.form);
      if (params.Channel !== 'email' && !context.state.config.testNumbers.has(params.To) && !isValidNumber(params.To)) {
        // The live message names the number: "Invalid parameter `To`: +12345".
        throw TwilioApiError.of('invalidParameter', { message: `Invalid parameter \`To\`: ${params.To}` });
      }
      if (params.Locale !== undefined && !isSupportedLocale(params.Locale)) throw invalidParameter('Locale');
      if (params.CustomCode !== undefined && !service.customCodeEnabled) throw TwilioApiError.of('featureNotEnabled');
      if (params.CustomFriendlyName !== undefined && !service.customFriendlyNameEnabled)
        throw TwilioApiError.of('featureNotEnabled');
      if (params.Channel === 'email' && !service.mailer) throw TwilioApiError.of('emailIntegrationMissing');
      if (params.RateLimits) meterRateLimits(context.state, service.sid, params.RateLimits);
      const verification = startVerification(context.state, service, {
        to: params.To,
        channel: params.Channel,
        locale: params.Locale,
        customCode: params.CustomCode,
        customFriendlyName: params.CustomFriendlyName,
        appHash: params.AppHash,
        amount: params.Amount,
        payee: params.Payee,
      });
      return { status: 201, body: verificationJson(verification, context.state.config.accountSid) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Verifications/:Sid',
    handle(context) {
      const service = requireService(context);
      const verification = pendingVerification(
        context.state,
        service.sid,
        context.params['Sid'] ?? '',
        context.resourcePath,
      );
      return { status: 200, body: verificationJson(verification, context.state.config.accountSid) };
    },
  },
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Verifications/:Sid',
    handle(context) {
      const service = requireService(context);
      const { Status } = parseParams(updateParams, context.form);
      const sid = context.params['Sid'] ?? '';
      const verification = updateVerificationStatus(context.state, service, sid, Status, context.resourcePath);
      return { status: 200, body: verificationJson(verification, context.state.config.accountSid) };
    },
  },
];
