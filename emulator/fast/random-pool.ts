import { randomBytes } from 'node:crypto';

/**
 * Speed-up kept for the emulator throughput target (bench/HISTORY.md): CSPRNG bytes drawn
 * from a pooled buffer, since randomBytes() is a synchronous call into OpenSSL, too costly to
 * make for every SID and code digit (several per verification).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

/** `count` (≤ POOL_SIZE) fresh random bytes: `pool[at] … pool[at + count - 1]`, valid until the next call. */
export function takeRandomBytes(count: number): { pool: Buffer; at: number } {
  if (offset + count > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += count;
  return { pool, at: offset - count };
}
