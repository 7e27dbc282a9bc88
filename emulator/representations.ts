import { toTwilioDate } from './clock';
import { VERIFY_BASE_URL } from './defaults';
import type { BucketRecord, RateLimitRecord, ServiceRecord, VerificationRecord } from './store';

/**
 * The snake_case JSON Verify answers with, one function per resource, listing every property
 * of the spec's response schema (components/schemas/verify.v2.service…) in the spec's order.
 */
const V2 = `${VERIFY_BASE_URL}/v2`;

export function serviceUrl(serviceSid: string): string {
  return `${V2}/Services/${serviceSid}`;
}

export function serviceJson(service: ServiceRecord, accountSid: string) {
  const url = serviceUrl(service.sid);
  return {
    sid: service.sid,
    account_sid: accountSid,
    friendly_name: service.friendlyName,
    code_length: service.codeLength,
    lookup_enabled: service.lookupEnabled,
    psd2_enabled: service.psd2Enabled,
    skip_sms_to_landlines: service.skipSmsToLandlines,
    dtmf_input_required: service.dtmfInputRequired,
    tts_name: service.ttsName,
    do_not_share_warning_enabled: service.doNotShareWarningEnabled,
    custom_code_enabled: service.customCodeEnabled,
    push: {
      include_date: service.push.includeDate,
      apn_credential_sid: service.push.apnCredentialSid,
      fcm_credential_sid: service.push.fcmCredentialSid,
    },
    totp: {
      // Verify fills the issuer in with the friendly name until one is set.
      issuer: service.totp.issuer ?? service.friendlyName,
      time_step: service.totp.timeStep,
      code_length: service.totp.codeLength,
      skew: service.totp.skew,
    },
    default_template_sid: service.defaultTemplateSid,
    whatsapp: { msg_service_sid: service.whatsapp.msgServiceSid, from: service.whatsapp.from },
    verify_event_subscription_enabled: service.verifyEventSubscriptionEnabled,
    date_created: toTwilioDate(service.dateCreated),
    date_updated: toTwilioDate(service.dateUpdated),
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      messaging_configurations: `${url}/MessagingConfigurations`,
      entities: `${url}/Entities`,
      webhooks: `${url}/Webhooks`,
      access_tokens: `${url}/AccessTokens`,
    },
  };
}

/** Attempt times carry milliseconds on the wire (`2026-01-05T10:00:00.123Z`), unlike other dates. */
function attemptTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The fields a Verification and its VerificationCheck share, in the spec's order (the code is
 * never part of either). The rest is added with Object.assign: a spread copy with more keys
 * after it leaves V8's fast object layout and makes JSON.stringify several times slower.
 */
function verificationHead(verification: VerificationRecord, accountSid: string) {
  return {
    sid: verification.sid,
    service_sid: verification.serviceSid,
    account_sid: accountSid,
    to: verification.to,
    channel: verification.channel,
    status: verification.status,
    valid: verification.status === 'approved',
  };
}

export function verificationJson(verification: VerificationRecord, accountSid: string) {
  return Object.assign(verificationHead(verification, accountSid), {
    // `{"carrier": null}` unless the service has Lookup on and the destination is a phone
    // number; then a fixed emulator carrier, typed by libphonenumber.
    lookup: {
      carrier:
        verification.carrierType === null
          ? null
          : {
              error_code: null,
              name: 'Emulator Carrier',
              mobile_country_code: null,
              mobile_network_code: null,
              type: verification.carrierType,
            },
    },
    amount: verification.amount,
    payee: verification.payee,
    send_code_attempts: verification.sendCodeAttempts.map((attempt) => ({
      attempt_sid: attempt.attemptSid,
      channel: attempt.channel,
      time: attemptTime(attempt.time),
    })),
    date_created: toTwilioDate(verification.dateCreated),
    date_updated: toTwilioDate(verification.dateUpdated),
    sna: null,
    url: `${serviceUrl(verification.serviceSid)}/Verifications/${verification.sid}`,
  });
}

export function verificationCheckJson(verification: VerificationRecord, accountSid: string) {
  return Object.assign(verificationHead(verification, accountSid), {
    amount: verification.amount,
    payee: verification.payee,
    date_created: toTwilioDate(verification.dateCreated),
    date_updated: toTwilioDate(verification.dateUpdated),
    sna_attempts_error_codes: [],
  });
}

function rateLimitUrl(rateLimit: { serviceSid: string; sid: string }): string {
  return `${serviceUrl(rateLimit.serviceSid)}/RateLimits/${rateLimit.sid}`;
}

export function rateLimitJson(rateLimit: RateLimitRecord, accountSid: string) {
  const url = rateLimitUrl(rateLimit);
  return {
    sid: rateLimit.sid,
    service_sid: rateLimit.serviceSid,
    account_sid: accountSid,
    unique_name: rateLimit.uniqueName,
    description: rateLimit.description,
    date_created: toTwilioDate(rateLimit.dateCreated),
    date_updated: toTwilioDate(rateLimit.dateUpdated),
    url,
    links: { buckets: `${url}/Buckets` },
  };
}

export function bucketJson(bucket: BucketRecord, accountSid: string) {
  return {
    sid: bucket.sid,
    rate_limit_sid: bucket.rateLimitSid,
    service_sid: bucket.serviceSid,
    account_sid: accountSid,
    max: bucket.max,
    interval: bucket.interval,
    date_created: toTwilioDate(bucket.dateCreated),
    date_updated: toTwilioDate(bucket.dateUpdated),
    url: `${rateLimitUrl({ serviceSid: bucket.serviceSid, sid: bucket.rateLimitSid })}/Buckets/${bucket.sid}`,
  };
}
