import { randomBytes } from 'node:crypto';

/** VA service, VE verification, VL send attempt, RK rate limit, BL bucket, RQ request id. */
export type SidPrefix = 'VA' | 'VE' | 'VL' | 'RK' | 'BL' | 'RQ';

/** A Twilio SID: two-letter prefix + 32 lowercase hex digits. */
// randomBytes(16) is a synchronous call into OpenSSL per SID (four per verification round
// trip); drawing from a pooled buffer costs a slice.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

export function newSid(prefix: SidPrefix): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += 16;
  return prefix + pool.toString('hex', offset - 16, offset);
}
