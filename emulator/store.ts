import { createSyncStore, type SyncStore } from './sync/store';
import { createTotpStore, deleteServiceEntities, type TotpStore } from './totp-store';
import type { Channel, DeliveryOutcome, EmulatorMessage } from './types';

/** Records are kept in emulator terms (camelCase, ms timestamps); representations.ts renders the wire shape. */
export interface ServiceRecord {
  sid: string;
  friendlyName: string;
  codeLength: number;
  lookupEnabled: boolean;
  psd2Enabled: boolean;
  skipSmsToLandlines: boolean;
  dtmfInputRequired: boolean;
  ttsName: string | null;
  doNotShareWarningEnabled: boolean;
  customCodeEnabled: boolean;
  defaultTemplateSid: string | null;
  verifyEventSubscriptionEnabled: boolean;
  push: { includeDate: boolean; apnCredentialSid: string | null; fcmCredentialSid: string | null };
  totp: { issuer: string | null; timeStep: number; codeLength: number; skew: number };
  whatsapp: { msgServiceSid: string | null; from: string | null };
  /** The relying party and authenticator criteria Passkeys Factors take when their request has no `config`. */
  passkeys: PasskeySettings;
  /** Not in the API: Twilio enables CustomFriendlyName per account on request (else 60204). */
  customFriendlyNameEnabled: boolean;
  /** Not in the API: an email integration (Mailer) is set up in the Console; without one, email is 60217. */
  mailer: boolean;
  dateCreated: number;
  dateUpdated: number;
}

/** The Service's `passkeys` settings (`Passkeys.*` parameters); unset ones are null, as Verify renders them. */
export interface PasskeySettings {
  relyingParty: { id: string | null; name: string | null; origins: string[] | null };
  authenticatorAttachment: 'platform' | 'cross-platform' | 'any' | null;
  discoverableCredentials: 'required' | 'preferred' | 'discouraged' | null;
  userVerification: 'required' | 'preferred' | 'discouraged' | null;
}

/** Stored statuses; `expired` is derived from the clock when a verification is looked at. */
type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired';

export type CarrierType = 'mobile' | 'landline' | 'voip';

interface SendAttempt {
  attemptSid: string;
  channel: Channel;
  time: number;
}

export interface VerificationRecord {
  sid: string;
  serviceSid: string;
  to: string;
  channel: Channel;
  status: VerificationStatus;
  code: string;
  locale: string;
  amount: string | null;
  payee: string | null;
  sendCodeAttempts: SendAttempt[];
  /** Lookup's carrier type when the service has Lookup on and `to` is a phone number, else null. */
  carrierType: CarrierType | null;
  wrongChecks: number;
  dateCreated: number;
  dateUpdated: number;
  expiresAt: number;
}

/**
 * One send of a code (a Verification Attempt, VL…): what /v2/Attempts lists. Live sends and
 * seeded history share this shape; `country` is filled on first read for live sends.
 */
export interface AttemptRecord {
  sid: string;
  serviceSid: string;
  verificationSid: string;
  to: string;
  channel: Channel;
  time: number;
  /** The delivery switch's outcome for the channel at send time. */
  outcome: DeliveryOutcome;
  codeLength: number;
  locale: string;
  /** ISO 3166 alpha-2 of a phone destination; null for email or unknown; undefined until derived. */
  country?: string | null;
  /** When the person entered the right code for this attempt (its verification's latest send). */
  convertedAt?: number;
  /** When the verification's code stops working: unconverted attempts then read `expired`. */
  expiresAt: number;
}

export interface RateLimitRecord {
  sid: string;
  serviceSid: string;
  uniqueName: string;
  description: string | null;
  dateCreated: number;
  dateUpdated: number;
}

export interface BucketRecord {
  sid: string;
  rateLimitSid: string;
  serviceSid: string;
  max: number;
  interval: number;
  dateCreated: number;
  dateUpdated: number;
}

export interface Store {
  services: Map<string, ServiceRecord>;
  verifications: Map<string, VerificationRecord>;
  rateLimits: Map<string, RateLimitRecord>;
  buckets: Map<string, BucketRecord>;
  /** `${bucketSid}\n${meteredValue}` → times (ms) of the requests counted in that bucket. */
  bucketHits: Map<string, number[]>;
  /** Delivered messages, oldest first. */
  messages: EmulatorMessage[];
  /** The same messages per `to`, so looking up one person's inbox does not walk everyone's. */
  messagesByTo: Map<string, EmulatorMessage[]>;
  /**
   * `${serviceSid}\n${to}` → the newest verification created for that destination. Only it can be
   * live: a new one is only created when none is, and nothing that stopped being live comes back.
   */
  newestVerificationTo: Map<string, VerificationRecord>;
  /** Channels whose messages do not arrive; absent means delivered. */
  deliveryOutcomes: Map<Channel, DeliveryOutcome>;
  /** Entities, TOTP factors and challenges (the Factors API). */
  totp: TotpStore;
  /** Verification Attempts by SID, live sends and seeded history alike. */
  attempts: Map<string, AttemptRecord>;
  /** Sync Services, Maps and Map Items (/v1). */
  sync: SyncStore;
  clear(): void;
}

export function createStore(): Store {
  const store: Store = {
    services: new Map(),
    verifications: new Map(),
    rateLimits: new Map(),
    buckets: new Map(),
    bucketHits: new Map(),
    messages: [],
    messagesByTo: new Map(),
    newestVerificationTo: new Map(),
    deliveryOutcomes: new Map(),
    totp: createTotpStore(),
    attempts: new Map(),
    sync: createSyncStore(),
    clear() {
      store.sync.clear();
      store.totp.clear();
      store.attempts.clear();
      store.deliveryOutcomes.clear();
      store.services.clear();
      store.verifications.clear();
      store.rateLimits.clear();
      store.buckets.clear();
      store.bucketHits.clear();
      store.messages.length = 0;
      store.messagesByTo.clear();
      store.newestVerificationTo.clear();
    },
  };
  return store;
}

/** Removes a rate limit with its buckets and their counters. */
export function deleteRateLimit(store: Store, rateLimitSid: string): void {
  for (const bucket of [...store.buckets.values()]) {
    if (bucket.rateLimitSid === rateLimitSid) deleteBucket(store, bucket.sid);
  }
  store.rateLimits.delete(rateLimitSid);
}

export function deleteBucket(store: Store, bucketSid: string): void {
  store.buckets.delete(bucketSid);
  for (const key of [...store.bucketHits.keys()]) {
    if (key.startsWith(`${bucketSid}\n`)) store.bucketHits.delete(key);
  }
}

/** Removes a service and everything under it. */
export function deleteService(store: Store, serviceSid: string): void {
  for (const verification of [...store.verifications.values()]) {
    if (verification.serviceSid === serviceSid) store.verifications.delete(verification.sid);
  }
  for (const rateLimit of [...store.rateLimits.values()]) {
    if (rateLimit.serviceSid === serviceSid) deleteRateLimit(store, rateLimit.sid);
  }
  deleteServiceEntities(store.totp, serviceSid);
  store.services.delete(serviceSid);
}
