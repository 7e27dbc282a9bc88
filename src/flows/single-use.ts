import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { stateKey, type StateKind } from '../state/state-keys';
import type { StateStore } from '../state/state-store';

/**
 * Marks `subject` of `kind` as used, for every instance at once: true for the one request that
 * gets there first (a create that refuses an existing key), false for every later or racing one.
 * The mark lasts `ttlSeconds`, as long as the thing it guards could still be presented.
 */
export async function useOnce(store: StateStore, config: Config, kind: StateKind, subject: string, ttlSeconds: number): Promise<boolean> {
  const created = await store.create(stateKey(config, kind, subject), { used: true }, Math.max(1, Math.ceil(ttlSeconds)));
  return created !== undefined;
}

/**
 * A proof token adds or removes an authenticator app once: its `jti` is spent before Verify is
 * asked (a failure after that costs the person a new verification, never a second use).
 * A spent one is 401 invalid_token, like any token that no longer proves anything.
 */
export async function spendProofToken(store: StateStore, config: Config, token: { tokenId: string; expiresAt: number }, nowMs: number): Promise<void> {
  if (!(await useOnce(store, config, 'token', token.tokenId, token.expiresAt - nowMs / 1000 + 60))) {
    throw new AppError('invalid_token', {
      field: 'authorization',
      message: 'This proof token was already used (to add or remove an authenticator app or passkey, or for recovery codes): verify again to get a new one.',
    });
  }
}
