import type { Config } from '../config';
import { AppError } from '../domain/app-error';
import type { UsageLimit } from '../domain/usage-windows';
import type { PasskeyCheckInput } from '../domain/schemas/passkeys';
import { openEnrolmentHandle, sealEnrolmentHandle } from '../security/enrolment-handle';
import { totpEntityIdentity } from '../security/totp-entity';
import { stateKey } from '../state/state-keys';
import type { StateStore } from '../state/state-store';
import { passkeysApi } from '../verify/passkeys-api';
import { verifyService } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import { clientDataChallenge } from './passkey-client-data';
import { mapPasskeyError, notAccepted } from './passkey-errors';
import { useOnce } from './single-use';
import { meterUse } from './usage-meter';

/**
 * Sign-in challenges per destination, counted before Verify is asked, alike with or without a
 * passkey. A passkey cannot be guessed (an assertion is a signature), so this budget is about
 * cost and noise, not guesses: each challenge is one Verify call, answered at most once.
 */
const PASSKEY_CHALLENGE_LIMITS: readonly UsageLimit[] = [
  { seconds: 3600, limit: 30 },
  { seconds: 86_400, limit: 100 },
];

/**
 * Discoverable challenges (no destination: the browser's autofill offers whichever passkey the
 * person picks) for the whole deployment: they name nobody, so they cannot be metered per
 * destination; this bounds what a stranger can make Verify do. Over it, sign-in by destination
 * still works.
 */
const DISCOVERABLE_CHALLENGE_LIMITS: readonly UsageLimit[] = [{ seconds: 3600, limit: 2000 }];

/**
 * A Passkeys Challenge for the subject's Entity (or, without a subject, a discoverable one).
 * Verify's request options list the Entity's passkeys (`allowCredentials`), which would tell
 * anyone who asks whether a destination has one, and show its credential id: the list is
 * answered empty, so the browser offers the passkeys it holds for the relying party (every one
 * is discoverable: registration requires it) and Verify still approves only the Entity's own.
 * A destination with a passkey, without one, or with an app only gets the same options.
 */
export async function challengePasskey(
  { config, serviceSid, connect, store }: FlowContext,
  { subject }: { subject?: string },
): Promise<{ ok: true; publicKey: Record<string, unknown> }> {
  const connection = connect();
  const [key, limits] =
    subject === undefined
      ? [stateKey(config, 'passkey', '\u0000discoverable'), DISCOVERABLE_CHALLENGE_LIMITS]
      : [stateKey(config, 'passkey', subject), PASSKEY_CHALLENGE_LIMITS];
  await meterUse(store, key, limits, (retryAfter) => new AppError('passkey_rate_limited', { retryAfter }));
  const challenge = await passkeysApi(verifyService(connection, serviceSid))
    .createChallenge(subject === undefined ? {} : { identity: totpEntityIdentity(config, subject) })
    .catch((err: unknown) => Promise.reject(mapPasskeyError(err, connection.lastRetryAfter())));
  const publicKey = (challenge.options as { publicKey?: unknown } | null)?.publicKey;
  if (typeof publicKey !== 'object' || publicKey === null)
    throw new AppError('verify_error', {
      message: 'Verify created the passkey challenge without its request options.',
    });
  return { ok: true, publicKey: { ...publicKey, allowCredentials: [] } };
}

/**
 * The assertion goes to Verify (ApproveChallenge), which checks the challenge, origin, RP id,
 * signature, user verification and signature counter, and approves the challenge once. With a
 * subject, the approved challenge must be the subject's own: a passkey of someone else,
 * answering their own challenge, proves nothing about `to`. Without one (a discoverable
 * sign-in), the approving passkey's Entity names the person: its owner record (sealed, written
 * when the passkey was added) gives the destination for the token.
 */
export async function checkPasskey(
  { config, serviceSid, connect, store }: FlowContext,
  input: Pick<PasskeyCheckInput, 'credential'> & {
    subject?: string;
    /** Another spelling of the destination to accept (`to` parsed), asked only when the first misses. */
    otherSubject?: () => string | undefined;
  },
): Promise<{ ok: true; status: 'approved'; factorSid: string; destination?: string; matched?: 'other' }> {
  const { subject, otherSubject } = input;
  // One answer per challenge on our side too, for every instance at once: copies of one
  // assertion sent together must not each reach Verify before it marks the challenge approved.
  const challenge = clientDataChallenge(input.credential.response.clientDataJSON);
  if (!challenge || !(await useOnce(store, config, 'passkey-assertion', challenge, ASSERTION_CLAIM_SECONDS)))
    throw notAccepted();
  const connection = connect();
  const approved = await passkeysApi(verifyService(connection, serviceSid))
    .approveChallenge(input.credential)
    .catch((err: unknown) => Promise.reject(mapPasskeyError(err, connection.lastRetryAfter())));
  if (approved.status !== 'approved') throw notAccepted();
  if (subject !== undefined) {
    if (approved.identity === totpEntityIdentity(config, subject))
      return { ok: true, status: 'approved', factorSid: approved.factorSid };
    const other = otherSubject?.();
    if (other !== undefined && other !== subject && approved.identity === totpEntityIdentity(config, other)) {
      return { ok: true, status: 'approved', factorSid: approved.factorSid, matched: 'other' };
    }
    throw notAccepted();
  }
  const owner = await passkeyOwner(store, config, approved.identity);
  if (!owner) throw notAccepted();
  return { ok: true, status: 'approved', factorSid: approved.factorSid, destination: owner };
}

/** A challenge's claim outlives the challenge (Verify's options ask for an answer within minutes). */
const ASSERTION_CLAIM_SECONDS = 3600;

/** A year, Sync's longest TTL; refreshed whenever the person adds a passkey. */
const OWNER_TTL_SECONDS = 365 * 86_400;

/** Records who an Entity's passkeys belong to (sealed: the store never holds a destination in the clear). */
export async function recordPasskeyOwner(
  store: StateStore,
  config: Config,
  owner: { entity: string; subject: string; destination: string; factorSid: string },
): Promise<void> {
  const key = stateKey(config, 'passkey-owner', owner.entity);
  const sealed = {
    owner: sealEnrolmentHandle(config, { ...owner, expiresAt: Number.MAX_SAFE_INTEGER }, 'passkey-owner'),
  };
  const current = await store.get(key);
  if (current) await store.update(key, sealed, OWNER_TTL_SECONDS, current.revision);
  else await store.create(key, sealed, OWNER_TTL_SECONDS);
}

async function passkeyOwner(store: StateStore, config: Config, entity: string): Promise<string | undefined> {
  const item = await store.get(stateKey(config, 'passkey-owner', entity));
  const sealed = (item?.data as { owner?: unknown } | undefined)?.owner;
  const opened = typeof sealed === 'string' ? openEnrolmentHandle(config, sealed, 0, 'passkey-owner') : undefined;
  return opened && opened.entity === entity ? opened.destination : undefined;
}
