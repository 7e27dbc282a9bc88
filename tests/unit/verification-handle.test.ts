import { AppError } from '../../src/domain/app-error';
import { deriveKey } from '../../src/security/derived-keys';
import { openVerificationHandle, sealVerificationHandle, type VerificationHandle } from '../../src/security/verification-handle';

const key = deriveKey({ signingSecret: 'unit-test-secret' }, 'verification-handle');
const SERVICE = 'VA' + 'a1'.repeat(16);
const NOW = 1_800_000_000_000;
const payload: VerificationHandle = {
  verificationSid: 'VE' + 'b2'.repeat(16),
  serviceSid: SERVICE,
  to: '+14155552671',
  channel: 'sms',
  phone: '+14155552671',
  email: 'jane@example.com',
  expiresAt: NOW + 600_000,
  attemptOffset: 2,
  knownAttempts: 3,
};

function refused(text: string, k = key, service = SERVICE, now = NOW): AppError {
  try {
    openVerificationHandle(text, k, service, now);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the handle opened');
}

describe('verification handle', () => {
  it('opens to exactly what was sealed, and reveals neither the SID nor the destination', () => {
    const sealed = sealVerificationHandle(payload, key);
    expect(openVerificationHandle(sealed, key, SERVICE, NOW)).toEqual(payload);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const secret of [payload.verificationSid, payload.to, 'jane', 'b2b2b2', '4155552671']) {
      expect(sealed).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
  });

  it('is different every time (random IV), so two handles for one verification cannot be linked', () => {
    expect(sealVerificationHandle(payload, key)).not.toBe(sealVerificationHandle(payload, key));
  });

  it('refuses a change to any byte: version, IV, ciphertext or tag', () => {
    const raw = Buffer.from(sealVerificationHandle(payload, key), 'base64url');
    const regions = { version: [0], iv: [1, 6, 12], ciphertext: [13, 20, raw.length - 17], tag: [raw.length - 16, raw.length - 1] };
    for (const [region, offsets] of Object.entries(regions)) {
      for (const offset of offsets) {
        const tampered = Buffer.from(raw);
        tampered[offset] ^= 0x01;
        const error = refused(tampered.toString('base64url'));
        expect([region, error.code, error.status, error.field]).toEqual([region, 'invalid_verification', 400, 'verification']);
      }
    }
    expect(refused(raw.subarray(0, raw.length - 1).toString('base64url')).code).toBe('invalid_verification');
    expect(refused(Buffer.concat([raw, Buffer.from([0])]).toString('base64url')).code).toBe('invalid_verification');
  });

  it('refuses an expired handle (the code window is over)', () => {
    const sealed = sealVerificationHandle(payload, key);
    expect(openVerificationHandle(sealed, key, SERVICE, payload.expiresAt - 1).verificationSid).toBe(payload.verificationSid);
    expect(refused(sealed, key, SERVICE, payload.expiresAt).code).toBe('invalid_verification');
  });

  it('refuses a handle from another key (deployment, secret or purpose) or another service', () => {
    const sealed = sealVerificationHandle(payload, key);
    expect(refused(sealed, deriveKey({ signingSecret: 'another-secret' }, 'verification-handle')).code).toBe('invalid_verification');
    expect(refused(sealed, deriveKey({ authToken: 'unit-test-secret' }, 'verification-handle')).code).toBe('invalid_verification');
    expect(refused(sealed, deriveKey({ signingSecret: 'unit-test-secret' }, 'enrolment-handle')).code).toBe('invalid_verification');
    expect(refused(sealed, key, 'VA' + 'c3'.repeat(16)).code).toBe('invalid_verification');
  });

  it('refuses garbage without throwing anything but its own error', () => {
    for (const garbage of ['', 'x', 'VE' + 'b2'.repeat(16), '!!!!', 'a'.repeat(2000), Buffer.alloc(60).toString('base64url'), '%00', 'AQ']) {
      expect(refused(garbage).code).toBe('invalid_verification');
    }
  });

  it('has exactly one spelling: the spare bits of the last base64url character are not ignored', () => {
    // A handle whose byte length is not a multiple of 3, so its last character has spare bits.
    const text = [0, 1, 2].map((n) => sealVerificationHandle({ ...payload, attemptOffset: 10 ** n, knownAttempts: 10 ** n + 1 }, key)).find((t) => Buffer.from(t, 'base64url').length % 3 !== 0) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const others = [...alphabet].filter((c) => c !== text.at(-1)).map((c) => text.slice(0, -1) + c);
    // The last character carries 4 spare bits (length % 3 = 1) or 2 (length % 3 = 2): that many
    // others minus one decode to the same bytes as the original; none may open.
    const spareBits = Buffer.from(text, 'base64url').length % 3 === 1 ? 4 : 2;
    expect(others.filter((other) => Buffer.from(other, 'base64url').equals(Buffer.from(text, 'base64url')))).toHaveLength(2 ** spareBits - 1);
    for (const other of others) expect(refused(other).code).toBe('invalid_verification');
  });
});

