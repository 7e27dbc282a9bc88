import { randomBytes } from 'node:crypto';
import type * as z from 'zod/mini';
import type { Config } from '../config';
import type { recoveryCodesResponse } from '../contract/responses';
import { AppError } from '../domain/app-error';
import type { UsageLimit } from '../domain/usage-windows';
import {
  indexOfHash,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHash,
  RECOVERY_CODE_COUNT,
} from '../security/recovery-codes';
import { totpEntityIdentity } from '../security/totp-entity';
import { stateKey } from '../state/state-keys';
import { mapVerifyError } from '../verify/map-verify-error';
import { verifyService, type VerifyConnection } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import { meterUse } from './usage-meter';

/**
 * Recovery-code attempts per destination, counted before the set is read and alike whether the
 * destination has codes: 5 an hour, 20 a day. Fixed windows let at most twice a limit through
 * in any span of its length (10 an hour, 40 a day) and at most 20 × 366 in a year; with 10 live
 * codes of 50 bits each, a year of guessing succeeds with probability ≤ 7,320 × 10 / 2^50 ≈
 * 6.5 × 10⁻¹¹ (SECURITY.md, "Recovery codes").
 */
const RECOVERY_LIMITS: readonly UsageLimit[] = [
  { seconds: 3600, limit: 5 },
  { seconds: 86_400, limit: 20 },
];

/** A set lives a year (Sync's longest TTL), then the person makes a new one. */
const SET_TTL_SECONDS = 365 * 86_400;
const MAX_TRIES = 4;

interface StoredSet {
  /** Random id of the set, so two sets are never confused. */
  set: string;
  /** Keyed hashes (src/security/recovery-codes.ts), in the order the codes were shown. */
  hashes: string[];
  /** Indexes already used. */
  used: number[];
  /** When the set was made (ms, the store's clock). */
  createdAt: number;
}

function readSet(data: unknown): StoredSet | undefined {
  const value = data as Partial<StoredSet> | null;
  if (!value || typeof value.set !== 'string' || !Array.isArray(value.hashes) || !Array.isArray(value.used))
    return undefined;
  if (!value.hashes.every((hash) => typeof hash === 'string') || !value.used.every((index) => Number.isInteger(index)))
    return undefined;
  return {
    set: value.set,
    hashes: value.hashes,
    used: value.used,
    createdAt: typeof value.createdAt === 'number' ? value.createdAt : 0,
  };
}

/** Whether the subject has a verified authenticator app or passkey at Verify. */
async function hasSecondFactor(
  connection: VerifyConnection,
  config: Config,
  serviceSid: string,
  subject: string,
): Promise<boolean> {
  try {
    const factors = await verifyService(connection, serviceSid)
      .entities(totpEntityIdentity(config, subject))
      .factors.list({ limit: 50 });
    return factors.some(
      (factor) => factor.status === 'verified' && ['totp', 'passkeys'].includes(factor.factorType as string),
    );
  } catch (err) {
    const error = mapVerifyError(err, { notFound: 'recovery_needs_factor' });
    if (error.code === 'recovery_needs_factor') return false;
    throw error;
  }
}

type RecoveryCodeSet = z.output<ReturnType<typeof recoveryCodesResponse>>;

/**
 * A new set of 10 codes for the subject, replacing (and so invalidating) any earlier set in one
 * conditional write; only for a subject with an authenticator app or passkey (409
 * recovery_needs_factor otherwise: a destination proven by a sent code alone has nothing to recover).
 */
export async function issueRecoveryCodes(
  { config, serviceSid, connect, store }: FlowContext,
  { subject }: { subject: string },
): Promise<RecoveryCodeSet> {
  if (!(await hasSecondFactor(connect(), config, serviceSid, subject))) throw new AppError('recovery_needs_factor');
  const codes = newRecoveryCodes();
  const key = stateKey(config, 'recovery', subject);
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    const current = await store.get(key);
    const next: StoredSet = {
      set: randomBytes(9).toString('base64url'),
      hashes: codes.map((code) => recoveryCodeHash(config, subject, normalizeRecoveryCode(code) as string)),
      used: [],
      createdAt: store.now(),
    };
    const written = current
      ? await store.update(key, next, SET_TTL_SECONDS, current.revision)
      : await store.create(key, next, SET_TTL_SECONDS);
    if (written) return { ok: true, codes, replaced: current !== undefined };
  }
  throw new AppError('state_unavailable', {
    message: 'Another change to these recovery codes is in progress: try again.',
  });
}

/**
 * The first set, made when a person's first authenticator app or passkey is confirmed (the
 * moment they are shown, as most services do): only when no set exists, in one create, so a
 * confirm never replaces codes someone already keeps. Undefined when a set exists, or when the
 * store could not take it.
 */
export async function firstRecoveryCodes(
  { config, store }: Pick<FlowContext, 'config' | 'store'>,
  { subject }: { subject: string },
): Promise<string[] | undefined> {
  const codes = newRecoveryCodes();
  const set: StoredSet = {
    set: randomBytes(9).toString('base64url'),
    hashes: codes.map((code) => recoveryCodeHash(config, subject, normalizeRecoveryCode(code) as string)),
    used: [],
    createdAt: store.now(),
  };
  // Best effort: the factor is added and its token earned whatever happens here; a person whose
  // first set could not be stored (Sync down) makes one later with /recovery-codes.
  const created = await store
    .create(stateKey(config, 'recovery', subject), set, SET_TTL_SECONDS)
    .catch(() => undefined);
  return created ? codes : undefined;
}

const wrongCode = () =>
  new AppError('incorrect_code', { field: 'code', message: 'That recovery code is not correct, or was already used.' });

/**
 * Signs in with one recovery code: the attempt is counted first (RECOVERY_LIMITS), then the code
 * is looked up among the set's unused hashes and marked used in a conditional write, so of two
 * racing requests with the same code only one succeeds. A used code, a code of an earlier set,
 * a wrong code and a destination without codes are one answer (401 incorrect_code).
 */
export async function checkRecoveryCode(
  { config, store }: Pick<FlowContext, 'config' | 'store'>,
  { subject, code: typed }: { subject: string; code: string },
): Promise<{ ok: true; status: 'approved'; remaining: number }> {
  await meterUse(
    store,
    stateKey(config, 'recovery-guess', subject),
    RECOVERY_LIMITS,
    (retryAfter) => new AppError('recovery_rate_limited', { retryAfter }),
  );
  const normalized = normalizeRecoveryCode(typed);
  if (!normalized) throw wrongCode();
  const hash = recoveryCodeHash(config, subject, normalized);
  const key = stateKey(config, 'recovery', subject);
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    const current = await store.get(key);
    const set = current ? readSet(current.data) : undefined;
    if (!current || !set) throw wrongCode();
    const index = indexOfHash(set.hashes, hash);
    if (index < 0 || set.used.includes(index)) throw wrongCode();
    const used = [...set.used, index];
    if (await store.update(key, { ...set, used }, SET_TTL_SECONDS, current.revision)) {
      return { ok: true, status: 'approved', remaining: RECOVERY_CODE_COUNT - used.length };
    }
  }
  throw new AppError('state_unavailable', { message: 'These recovery codes are being changed right now: try again.' });
}
