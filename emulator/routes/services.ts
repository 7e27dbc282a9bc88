import { z } from 'zod';
import type { EmulatorState, RouteContext } from '../context';
import { DEFAULT_CODE_LENGTH, DEFAULT_SERVICE_FRIENDLY_NAME, EMULATOR_SERVICE_SID } from '../defaults';
import { requireService } from '../lookups';
import { listPage } from '../pagination';
import { formBoolean, formInteger, parseParams } from '../params';
import { serviceJson } from '../representations';
import type { Route } from '../router';
import { newSid } from '../sids';
import { deleteService, type ServiceRecord } from '../store';
import { deleteRoute, updateRoute } from './crud';

/**
 * The friendly name appears in every message. The spec's response description: "up to 30
 * characters … cannot contain more than 4 (consecutive or non-consecutive) digits" (so a
 * phone number cannot be smuggled into the text); error 60200's page also says max 30.
 */
const friendlyName = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .refine((name) => (name.match(/\d/g) ?? []).length <= 4);

const sidOf = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));

const serviceFields = {
  FriendlyName: friendlyName,
  CodeLength: formInteger(4, 10).optional(),
  LookupEnabled: formBoolean.optional(),
  SkipSmsToLandlines: formBoolean.optional(),
  DtmfInputRequired: formBoolean.optional(),
  TtsName: z.string().optional(),
  Psd2Enabled: formBoolean.optional(),
  DoNotShareWarningEnabled: formBoolean.optional(),
  CustomCodeEnabled: formBoolean.optional(),
  'Push.IncludeDate': formBoolean.optional(),
  'Push.ApnCredentialSid': sidOf('CR').optional(),
  'Push.FcmCredentialSid': sidOf('CR').optional(),
  'Totp.Issuer': z.string().optional(),
  'Totp.TimeStep': formInteger(20, 60).optional(),
  'Totp.CodeLength': formInteger(3, 8).optional(),
  'Totp.Skew': formInteger(0, 2).optional(),
  DefaultTemplateSid: sidOf('HJ').optional(),
  'Whatsapp.MsgServiceSid': sidOf('MG').optional(),
  'Whatsapp.From': z.string().optional(),
  VerifyEventSubscriptionEnabled: formBoolean.optional(),
};
const createParams = z.object(serviceFields);
const updateParams = z.object({ ...serviceFields, FriendlyName: friendlyName.optional() });
type ServiceParams = z.output<typeof updateParams>;

/** Applies the given parameters over a service; absent ones keep their current value. */
function applyParams(service: ServiceRecord, params: ServiceParams): void {
  service.friendlyName = params.FriendlyName ?? service.friendlyName;
  service.codeLength = params.CodeLength ?? service.codeLength;
  service.lookupEnabled = params.LookupEnabled ?? service.lookupEnabled;
  service.skipSmsToLandlines = params.SkipSmsToLandlines ?? service.skipSmsToLandlines;
  service.dtmfInputRequired = params.DtmfInputRequired ?? service.dtmfInputRequired;
  service.ttsName = params.TtsName ?? service.ttsName;
  service.psd2Enabled = params.Psd2Enabled ?? service.psd2Enabled;
  service.doNotShareWarningEnabled = params.DoNotShareWarningEnabled ?? service.doNotShareWarningEnabled;
  service.customCodeEnabled = params.CustomCodeEnabled ?? service.customCodeEnabled;
  service.defaultTemplateSid = params.DefaultTemplateSid ?? service.defaultTemplateSid;
  service.verifyEventSubscriptionEnabled =
    params.VerifyEventSubscriptionEnabled ?? service.verifyEventSubscriptionEnabled;
  service.push = {
    includeDate: params['Push.IncludeDate'] ?? service.push.includeDate,
    apnCredentialSid: params['Push.ApnCredentialSid'] ?? service.push.apnCredentialSid,
    fcmCredentialSid: params['Push.FcmCredentialSid'] ?? service.push.fcmCredentialSid,
  };
  service.totp = {
    issuer: params['Totp.Issuer'] ?? service.totp.issuer,
    timeStep: params['Totp.TimeStep'] ?? service.totp.timeStep,
    codeLength: params['Totp.CodeLength'] ?? service.totp.codeLength,
    skew: params['Totp.Skew'] ?? service.totp.skew,
  };
  service.whatsapp = {
    msgServiceSid: params['Whatsapp.MsgServiceSid'] ?? service.whatsapp.msgServiceSid,
    from: params['Whatsapp.From'] ?? service.whatsapp.from,
  };
}

/** A service with Verify's defaults (code length 6, TOTP 30 s / 6 digits / skew 1, all flags off). */
function newService(sid: string, friendlyName: string, now: number): ServiceRecord {
  return {
    sid,
    friendlyName,
    codeLength: DEFAULT_CODE_LENGTH,
    lookupEnabled: false,
    psd2Enabled: false,
    skipSmsToLandlines: false,
    dtmfInputRequired: false,
    ttsName: null,
    doNotShareWarningEnabled: false,
    customCodeEnabled: false,
    defaultTemplateSid: null,
    verifyEventSubscriptionEnabled: false,
    push: { includeDate: false, apnCredentialSid: null, fcmCredentialSid: null },
    totp: { issuer: null, timeStep: 30, codeLength: 6, skew: 1 },
    whatsapp: { msgServiceSid: null, from: null },
    customFriendlyNameEnabled: false,
    mailer: false,
    dateCreated: now,
    dateUpdated: now,
  };
}

/** Creates the default service configured for this emulator (used on start and after reset). */
export function seedService(state: EmulatorState): ServiceRecord | undefined {
  const seed = state.config.seedService;
  if (seed === false) return undefined;
  const service = newService(
    seed.sid ?? EMULATOR_SERVICE_SID,
    seed.friendlyName ?? DEFAULT_SERVICE_FRIENDLY_NAME,
    state.clock.now(),
  );
  service.codeLength = seed.codeLength ?? DEFAULT_CODE_LENGTH;
  service.customFriendlyNameEnabled = seed.customFriendlyNameEnabled ?? false;
  // The demo service comes ready to send email; services created through the API do not.
  service.mailer = seed.mailer ?? true;
  state.store.services.set(service.sid, service);
  for (const wanted of seed.rateLimits ?? []) {
    const rateLimit = {
      sid: newSid('RK'),
      serviceSid: service.sid,
      uniqueName: wanted.uniqueName,
      description: wanted.description ?? null,
      dateCreated: service.dateCreated,
      dateUpdated: service.dateCreated,
    };
    state.store.rateLimits.set(rateLimit.sid, rateLimit);
    for (const { max, interval } of wanted.buckets) {
      const bucket = {
        sid: newSid('BL'),
        rateLimitSid: rateLimit.sid,
        serviceSid: service.sid,
        max,
        interval,
        dateCreated: service.dateCreated,
        dateUpdated: service.dateCreated,
      };
      state.store.buckets.set(bucket.sid, bucket);
    }
  }
  return service;
}

const render = (context: RouteContext) => (service: ServiceRecord) =>
  serviceJson(service, context.state.config.accountSid);

export const serviceRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services',
    handle(context) {
      const params = parseParams(createParams, context.form);
      const service = newService(newSid('VA'), params.FriendlyName, context.state.clock.now());
      applyParams(service, params);
      context.state.store.services.set(service.sid, service);
      return { status: 201, body: render(context)(service) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services',
    handle: (context) => listPage(context, 'services', [...context.state.store.services.values()], render(context)),
  },
  {
    method: 'GET',
    path: '/v2/Services/:Sid',
    handle: (context) => ({ status: 200, body: render(context)(requireService(context, 'Sid')) }),
  },
  updateRoute(
    '/v2/Services/:Sid',
    (context) => requireService(context, 'Sid'),
    (service, context) => applyParams(service, parseParams(updateParams, context.form)),
    render,
  ),
  deleteRoute('/v2/Services/:Sid', (context) => deleteService(context.state.store, requireService(context, 'Sid').sid)),
];
