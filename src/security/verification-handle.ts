import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import { AppError } from '../domain/app-error';
import { CHANNELS, type Channel } from '../domain/channels';

/**
 * The verification handle: what `/start-verify` gives the caller instead of Verify's SID, and
 * what every later route takes. It is the payload below sealed with AES-256-GCM under a key
 * derived for this purpose only (`deriveKey(config, 'verification-handle')`), so a caller can
 * neither read it (no SID, no destination) nor change it, and a handle from another service,
 * another deployment or another secret does not open.
 *
 * Wire format, base64url: version (1 byte) ‖ IV (12 random bytes) ‖ ciphertext ‖ GCM tag
 * (16 bytes). The version byte is authenticated as additional data.
 */
export interface VerificationHandle {
  /** Verify's Verification SID (VE…). */
  verificationSid: string;
  /** The Verify Service it belongs to (VA…): a handle for another service is foreign. */
  serviceSid: string;
  /** The normalised destination: E.164 or a lower-case email address. */
  to: string;
  channel: Channel;
  /** Fallback destinations offered at start, already normalised and checked. */
  phone?: string;
  email?: string;
  /** When the code window ends, ms since epoch on Verify's clock (first send + 10 minutes). */
  expiresAt: number;
  /**
   * How many send attempts the verification had before this caller's first send. Verify keeps
   * one verification per destination; a second caller joins it and must not see the first's.
   */
  attemptOffset: number;
  /**
   * How many send attempts the verification had when this handle was issued (the offset plus
   * this caller's own sends, the newest included). This caller's sends are the attempts from
   * `attemptOffset` up to here; more than this means someone else sent since.
   */
  knownAttempts: number;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = Buffer.from([VERSION]);
/** A sealed handle is a few hundred characters; anything much longer is not one of ours. */
export const MAX_HANDLE_LENGTH = 1024;

// Per-request costs kept off the hot path: a KeyObject per derived key (createCipheriv
// imports a raw Buffer key on every call), and IVs cut from a pool of random bytes filled by
// one CSPRNG call per 256 handles instead of one call per handle.
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObject(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = createSecretKey(key)));
  return object;
}

const IV_POOL = Buffer.alloc(IV_BYTES * 256);
let ivOffset = IV_POOL.length;
function freshIv(): Buffer {
  if (ivOffset === IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  // A copy: the pool is refilled later, the IV travels in the handle.
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

/** Compact field names keep the handle short; the mapping is private to this module. */
interface Sealed {
  v: string;
  s: string;
  t: string;
  c: string;
  p?: string;
  e?: string;
  x: number;
  a: number;
  /** Absent in handles sealed before it existed: then the offset plus one send. */
  k?: number;
}

export function sealVerificationHandle(handle: VerificationHandle, key: Buffer): string {
  const sealed: Sealed = {
    v: handle.verificationSid,
    s: handle.serviceSid,
    t: handle.to,
    c: handle.channel,
    ...(handle.phone !== undefined ? { p: handle.phone } : {}),
    ...(handle.email !== undefined ? { e: handle.email } : {}),
    x: handle.expiresAt,
    a: handle.attemptOffset,
    k: handle.knownAttempts,
  };
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', keyObject(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(HEADER);
  const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
  return Buffer.concat([HEADER, iv, body, cipher.getAuthTag()]).toString('base64url');
}

const invalid = () =>
  new AppError('invalid_verification', { field: 'verification' });

const isSid = (value: unknown, prefix: string) => typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && /^[A-Z]{2}[0-9a-fA-F]{32}$/.test(value);
const isText = (value: unknown) => typeof value === 'string' && value.length > 0 && value.length <= 254;

/**
 * Opens a handle sealed by `sealVerificationHandle`. Garbage, a wrong version, any changed
 * byte, another key, another service or a passed expiry all give the same 400
 * `invalid_verification`, before anything reaches Verify.
 */
export function openVerificationHandle(text: string, key: Buffer, serviceSid: string, now: number): VerificationHandle {
  if (text.length > MAX_HANDLE_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  const raw = Buffer.from(text, 'base64url');
  // One spelling per handle: base64url's last character has spare bits, and a decoder that
  // ignores them would accept 16 texts for one handle.
  if (raw.length < 1 + IV_BYTES + TAG_BYTES + 1 || raw[0] !== VERSION || raw.toString('base64url') !== text) throw invalid();
  let sealed: Sealed;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyObject(key), raw.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(HEADER);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    sealed = JSON.parse(plain.toString('utf8')) as Sealed;
  } catch {
    throw invalid();
  }
  // Authentic means we sealed it; the shape check guards against our own older formats.
  if (
    typeof sealed !== 'object' || sealed === null ||
    !isSid(sealed.v, 'VE') || !isSid(sealed.s, 'VA') || !isText(sealed.t) ||
    !(CHANNELS as readonly string[]).includes(sealed.c) ||
    (sealed.p !== undefined && !isText(sealed.p)) || (sealed.e !== undefined && !isText(sealed.e)) ||
    !Number.isSafeInteger(sealed.x) || !Number.isSafeInteger(sealed.a) || sealed.a < 0 ||
    (sealed.k !== undefined && (!Number.isSafeInteger(sealed.k) || sealed.k <= sealed.a))
  ) {
    throw invalid();
  }
  if (sealed.s !== serviceSid || sealed.x <= now) throw invalid();
  return {
    verificationSid: sealed.v,
    serviceSid: sealed.s,
    to: sealed.t,
    channel: sealed.c as Channel,
    ...(sealed.p !== undefined ? { phone: sealed.p } : {}),
    ...(sealed.e !== undefined ? { email: sealed.e } : {}),
    expiresAt: sealed.x,
    attemptOffset: sealed.a,
    knownAttempts: sealed.k ?? sealed.a + 1,
  };
}
