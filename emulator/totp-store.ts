import type { PasskeyChallengeRecord, PasskeyFactorRecord } from './passkey-store';
import type { TotpConfig } from './totp';

/** The Factors API's records (Entities, TOTP Factors, Challenges), kept in emulator terms like store.ts. */
export interface EntityRecord {
  sid: string;
  serviceSid: string;
  identity: string;
  dateCreated: number;
  dateUpdated: number;
}

export type FactorStatus = 'unverified' | 'verified';

export interface FactorRecord {
  sid: string;
  serviceSid: string;
  entitySid: string;
  identity: string;
  friendlyName: string;
  status: FactorStatus;
  /** The shared secret's bytes; Base32 on the wire, and only in the creation answer. */
  key: Buffer;
  config: TotpConfig;
  metadata: Record<string, unknown> | null;
  /** Wrong AuthPayloads while unverified; the 6th attempt answers 60310. */
  wrongVerifications: number;
  /** Creation times (ms) of this factor's challenges, for the 60312 limits. */
  challengeTimes: number[];
  dateCreated: number;
  dateUpdated: number;
}

/** Stored statuses; `expired` is derived from the clock when a challenge is looked at. */
type ChallengeStatus = 'pending' | 'expired' | 'approved' | 'denied';

export interface ChallengeRecord {
  sid: string;
  serviceSid: string;
  entitySid: string;
  identity: string;
  factorSid: string;
  status: ChallengeStatus;
  /** Wrong AuthPayloads given to this challenge; after 5 it answers 60308. */
  wrongAttempts: number;
  hiddenDetails: Record<string, unknown> | null;
  dateCreated: number;
  dateUpdated: number;
  dateResponded: number | null;
  expiresAt: number;
}

export interface TotpStore {
  /** `${serviceSid}\n${identity}` → entity. */
  entities: Map<string, EntityRecord>;
  factors: Map<string, FactorRecord>;
  challenges: Map<string, ChallengeRecord>;
  /** Passkeys Factors and Challenges (passkey-store.ts): same Entities, their own records. */
  passkeyFactors: Map<string, PasskeyFactorRecord>;
  passkeyChallenges: Map<string, PasskeyChallengeRecord>;
  clear(): void;
}

export function createTotpStore(): TotpStore {
  const store: TotpStore = {
    entities: new Map(),
    factors: new Map(),
    challenges: new Map(),
    passkeyFactors: new Map(),
    passkeyChallenges: new Map(),
    clear() {
      store.entities.clear();
      store.factors.clear();
      store.challenges.clear();
      store.passkeyFactors.clear();
      store.passkeyChallenges.clear();
    },
  };
  return store;
}

export const entityKey = (serviceSid: string, identity: string): string => `${serviceSid}\n${identity}`;

/** Removes an entity with its factors and their challenges. */
export function deleteEntity(store: TotpStore, entity: EntityRecord): void {
  for (const factor of [...store.factors.values(), ...store.passkeyFactors.values()]) {
    if (factor.entitySid === entity.sid) deleteFactor(store, factor.sid);
  }
  store.entities.delete(entityKey(entity.serviceSid, entity.identity));
}

export function deleteFactor(store: TotpStore, factorSid: string): void {
  for (const challenge of [...store.challenges.values()]) {
    if (challenge.factorSid === factorSid) store.challenges.delete(challenge.sid);
  }
  for (const challenge of [...store.passkeyChallenges.values()]) {
    if (challenge.factorSid === factorSid) store.passkeyChallenges.delete(challenge.sid);
  }
  store.factors.delete(factorSid);
  store.passkeyFactors.delete(factorSid);
}

/** Removes every entity of a service (with its factors and challenges). */
export function deleteServiceEntities(store: TotpStore, serviceSid: string): void {
  for (const entity of [...store.entities.values()]) {
    if (entity.serviceSid === serviceSid) deleteEntity(store, entity);
  }
}
