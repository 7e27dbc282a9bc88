import { takeRandomBytes } from './random-pool';

/** VA service, VE verification, VL send attempt, RK rate limit, BL bucket, RQ request id. */
export type SidPrefix = 'VA' | 'VE' | 'VL' | 'RK' | 'BL' | 'RQ';

/** A Twilio SID: two-letter prefix + 32 lowercase hex digits. */
export function newSid(prefix: SidPrefix): string {
  const { pool, at } = takeRandomBytes(16);
  return prefix + pool.toString('hex', at, at + 16);
}
