import { takeRandomBytes } from './fast/random-pool';

/**
 * VA service, VE verification, VL send attempt, RK rate limit, BL bucket, RQ request id; YE entity,
 * YF factor, YC challenge; IS Sync service, MP Sync map.
 */
export type SidPrefix = 'VA' | 'VE' | 'VL' | 'RK' | 'BL' | 'RQ' | 'YE' | 'YF' | 'YC' | 'IS' | 'MP';

/** A Twilio SID: two-letter prefix + 32 lowercase hex digits. */
export function newSid(prefix: SidPrefix): string {
  const { pool, at } = takeRandomBytes(16);
  return prefix + pool.toString('hex', at, at + 16);
}
