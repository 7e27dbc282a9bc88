import {
  indexOfHash,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHash,
} from '../../src/security/recovery-codes';

describe('recovery codes', () => {
  it('come 10 to a set, distinct, as XXXXX-XXXXX of Crockford Base32 (no I, L, O, U), each character uniformly drawn', () => {
    const sets = Array.from({ length: 200 }, newRecoveryCodes);
    for (const codes of sets) {
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    }
    // 20,000 characters over 32 symbols: each appears 625 times on average; a biased draw (e.g. % 36) would not.
    const counts = new Map<string, number>();
    for (const char of sets.flat().join('').replace(/-/g, '')) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const count of counts.values()) expect(Math.abs(count - 625)).toBeLessThan(150);
  });

  it('read as typed: any case, spaces and dashes, O as 0 and I/L as 1; anything else is no code', () => {
    expect(normalizeRecoveryCode('7k2mq 9xr4t')).toBe('7K2MQ9XR4T');
    expect(normalizeRecoveryCode('7K2MQ-9XR4T')).toBe('7K2MQ9XR4T');
    expect(normalizeRecoveryCode('O1ILo-00000')).toBe('0111000000');
    expect(normalizeRecoveryCode('7K2MQ-9XR4')).toBeUndefined();
    expect(normalizeRecoveryCode('7K2MQ-9XR4U')).toBeUndefined();
  });

  it('are kept as keyed hashes bound to the person: another key or another subject gives another hash', () => {
    const hash = recoveryCodeHash({ signingSecret: 'a' }, 'sub-1', '7K2MQ9XR4T');
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('7K2MQ9XR4T');
    expect(recoveryCodeHash({ signingSecret: 'b' }, 'sub-1', '7K2MQ9XR4T')).not.toBe(hash);
    expect(recoveryCodeHash({ signingSecret: 'a' }, 'sub-2', '7K2MQ9XR4T')).not.toBe(hash);
    expect(indexOfHash(['x', hash, 'y'], hash)).toBe(1);
    expect(indexOfHash(['x', 'y'], hash)).toBe(-1);
  });
});
