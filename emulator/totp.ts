import { createHmac } from 'node:crypto';
import { codesMatch } from './codes';
import { takeRandomBytes } from './fast/random-pool';

/**
 * TOTP as RFC 6238 defines it: HOTP (RFC 4226, dynamic truncation of an HMAC over the 8-byte
 * big-endian counter) with the counter floor(unixSeconds / timeStep). The HMAC is node:crypto's.
 */
export const TOTP_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

export interface TotpConfig {
  alg: TotpAlgorithm;
  /** Seconds per code (20–60 on Verify). */
  timeStep: number;
  /** Digits per code (3–8 on Verify). */
  codeLength: number;
  /** Steps before and after the current one that are still accepted (0–2 on Verify). */
  skew: number;
}

/** RFC 4226 §5.3: HMAC over the counter, dynamic truncation, `digits` decimal digits. */
export function hotp(key: Buffer, counter: number, alg: TotpAlgorithm, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(alg, key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step counter for a moment in ms. */
export function timeCounter(nowMs: number, timeStep: number): number {
  return Math.floor(nowMs / 1000 / timeStep);
}

/** The code an authenticator app shows at `nowMs`. */
export function totpAt(
  key: Buffer,
  nowMs: number,
  config: Pick<TotpConfig, 'alg' | 'timeStep' | 'codeLength'>,
): string {
  return hotp(key, timeCounter(nowMs, config.timeStep), config.alg, config.codeLength);
}

/**
 * Whether `code` is the code of the current step or of one within `skew` steps either side.
 * Every candidate is compared in constant time, and all of them are always compared.
 */
export function totpMatches(key: Buffer, code: string, nowMs: number, config: TotpConfig): boolean {
  const current = timeCounter(nowMs, config.timeStep);
  let matched = false;
  for (let step = current - config.skew; step <= current + config.skew; step += 1) {
    if (step < 0) continue;
    if (codesMatch(hotp(key, step, config.alg, config.codeLength), code)) matched = true;
  }
  return matched;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 Base32 without padding, as otpauth URIs carry secrets. */
export function base32Encode(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Base32 text to bytes: case-insensitive, `=` padding and spaces ignored (people type secrets
 * in groups); undefined when any other character is present or nothing is left.
 */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  if (clean === '') return undefined;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value === -1) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

/** A fresh 160-bit secret (RFC 4226 §4 recommends 160 bits) from the CSPRNG. */
export function generateTotpSecret(): Buffer {
  const { pool, at } = takeRandomBytes(20);
  return Buffer.from(pool.subarray(at, at + 20));
}
