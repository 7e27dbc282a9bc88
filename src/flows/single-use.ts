import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { stateKey, type StateKind } from '../state/state-keys';
import type { StateStore } from '../state/state-store';

/**
 * Marks `subject` of `kind` as used, for every instance at once: true for the one request that
 * gets there first (a create that refuses an existing key), false for every later or racing one.
 * The mark lasts `ttlSeconds`, as long as the thing it guards could still be presented.
 */
export async function useOnce(
  store: StateStore,
  config: Config,
  kind: StateKind,
  subject: string,
  ttlSeconds: number,
): Promise<boolean> {
  const created = await store.create(
    stateKey(config, kind, subject),
    { used: true },
    Math.max(1, Math.ceil(ttlSeconds)),
  );
  return created !== undefined;
}

/**
 * A proof token adds or removes an authenticator app once: its `jti` is spent before Verify is
 * asked (a failure after that costs the person a new verification, never a second use).
 * A spent one is 401 invalid_token, like any token that no longer proves anything.
 */
export async function spendProofToken(
  store: StateStore,
  config: Config,
  token: { tokenId: string; expiresAt: number },
  nowMs: number,
): Promise<void> {
  if (!(await useOnce(store, config, 'token', token.tokenId, token.expiresAt - nowMs / 1000 + 60))) {
    throw new AppError('invalid_token', {
      field: 'authorization',
      message:
        'This proof token was already used (to add or remove an authenticator app or passkey, or for recovery codes): verify again to get a new one.',
    });
  }
}

/** How long an approved authenticator code stays spent: its own step and the skew steps around it, at the longest (60 s × 5). */
export const SPENT_CODE_SECONDS = 300;

/** The store key that marks an authenticator code of a factor as spent (sign-in and confirm share it). */
const codeSubject = (factorSid: string, code: string) => `${factorSid}:${code}`;
export const totpCodeKey = (config: Config, factorSid: string, code: string) =>
  stateKey(config, 'totp-code', codeSubject(factorSid, code));

/**
 * Spends an authenticator code of a factor, for every instance at once: Verify approves a code
 * again inside its window, so the first approval (a sign-in, or the confirm that added the
 * app) spends it. False when it was spent already.
 */
export function spendTotpCode(store: StateStore, config: Config, factorSid: string, code: string): Promise<boolean> {
  return useOnce(store, config, 'totp-code', codeSubject(factorSid, code), SPENT_CODE_SECONDS);
}

export interface Claim {
  /** False when the key was taken already (by an earlier or a racing request). */
  won: boolean;
  /** Removes this request's own item, best effort. */
  giveBack(): Promise<void>;
}

/**
 * Takes `key` for this request in a way that can be given back: the item carries a nonce, so a
 * give-back removes only this request's own item, also after a create whose answer was lost
 * (a timeout: the item may or may not exist), which is given back before the failure is thrown.
 */
export async function claimKey(store: StateStore, key: string, ttlSeconds: number): Promise<Claim> {
  const nonce = randomUUID();
  const giveBackIfMine = async () => {
    const item = await store.get(key).catch(() => undefined);
    const by = typeof item?.data === 'object' && item.data !== null ? (item.data as { by?: unknown }).by : undefined;
    if (item && by === nonce) await store.remove(key, item.revision).catch(() => undefined);
  };
  try {
    const created = await store.create(key, { used: true, by: nonce }, ttlSeconds);
    return {
      won: created !== undefined,
      giveBack: created ? () => store.remove(key, created.revision).catch(() => undefined) : async () => undefined,
    };
  } catch (err) {
    await giveBackIfMine();
    throw err;
  }
}
