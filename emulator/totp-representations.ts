import { toTwilioDate } from './clock';
import { serviceUrl } from './representations';
import { base32Encode } from './totp';
import type { ChallengeRecord, EntityRecord, FactorRecord } from './totp-store';

/**
 * The Factors API's JSON (components/schemas/verify.v2.service.entity…), every property of the
 * spec's schema in its order. The Base32 secret and otpauth URI appear only in the creation
 * answer (`binding`), as on Verify.
 */
const dateOrNull = (ms: number | null) => (ms === null ? null : toTwilioDate(ms));

export function entityUrl(serviceSid: string, identity: string): string {
  return `${serviceUrl(serviceSid)}/Entities/${encodeURIComponent(identity)}`;
}

export function entityJson(entity: EntityRecord, accountSid: string) {
  const url = entityUrl(entity.serviceSid, entity.identity);
  return {
    sid: entity.sid,
    identity: entity.identity,
    account_sid: accountSid,
    service_sid: entity.serviceSid,
    date_created: toTwilioDate(entity.dateCreated),
    date_updated: toTwilioDate(entity.dateUpdated),
    url,
    links: { factors: `${url}/Factors`, new_factors: `${url}/Factors`, challenges: `${url}/Challenges` },
  };
}

function factorConfig(factor: FactorRecord) {
  return {
    alg: factor.config.alg,
    skew: factor.config.skew,
    code_length: factor.config.codeLength,
    time_step: factor.config.timeStep,
  };
}

export function factorJson(factor: FactorRecord, accountSid: string) {
  return {
    sid: factor.sid,
    account_sid: accountSid,
    service_sid: factor.serviceSid,
    entity_sid: factor.entitySid,
    identity: factor.identity,
    date_created: toTwilioDate(factor.dateCreated),
    date_updated: toTwilioDate(factor.dateUpdated),
    friendly_name: factor.friendlyName,
    status: factor.status,
    factor_type: 'totp',
    config: factorConfig(factor),
    metadata: factor.metadata,
    url: `${entityUrl(factor.serviceSid, factor.identity)}/Factors/${factor.sid}`,
  };
}

/**
 * The key URI format authenticator apps read (github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * `otpauth://totp/Issuer:AccountName?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`.
 */
function otpauthUri(factor: FactorRecord, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(factor.friendlyName)}`;
  const query =
    `secret=${base32Encode(factor.key)}&issuer=${encodeURIComponent(issuer)}` +
    `&algorithm=${factor.config.alg.toUpperCase()}&digits=${factor.config.codeLength}&period=${factor.config.timeStep}`;
  return `otpauth://totp/${label}?${query}`;
}

export function newFactorJson(factor: FactorRecord, accountSid: string, issuer: string) {
  const { sid, account_sid, service_sid, entity_sid, identity, ...rest } = factorJson(factor, accountSid);
  return {
    sid,
    account_sid,
    service_sid,
    entity_sid,
    identity,
    binding: { secret: base32Encode(factor.key), uri: otpauthUri(factor, issuer) },
    options: null,
    ...rest,
  };
}

export function challengeJson(challenge: ChallengeRecord, accountSid: string) {
  const url = `${entityUrl(challenge.serviceSid, challenge.identity)}/Challenges/${challenge.sid}`;
  return {
    sid: challenge.sid,
    account_sid: accountSid,
    service_sid: challenge.serviceSid,
    entity_sid: challenge.entitySid,
    identity: challenge.identity,
    factor_sid: challenge.factorSid,
    date_created: toTwilioDate(challenge.dateCreated),
    date_updated: toTwilioDate(challenge.dateUpdated),
    date_responded: dateOrNull(challenge.dateResponded),
    expiration_date: toTwilioDate(challenge.expiresAt),
    status: challenge.status,
    responded_reason: 'none',
    details: null,
    hidden_details: challenge.hiddenDetails,
    metadata: null,
    factor_type: 'totp',
    url,
    links: { notifications: `${url}/Notifications` },
  };
}
