import { AppError } from '../../src/domain/app-error';
import { deriveKey } from '../../src/security/derived-keys';
import {
  MAX_HANDLE_LENGTH,
  openVerificationHandle,
  sealVerificationHandle,
  type VerificationHandle,
} from '../../src/security/verification-handle';
import { sealToken } from '../../src/security/sealed-token';

const key = deriveKey({ signingSecret: 'unit-test-secret' }, 'verification-handle');
const SERVICE = 'VA' + 'a1'.repeat(16);
const NOW = 1_800_000_000_000;
const payload: VerificationHandle = {
  verificationSid: 'VE' + 'b2'.repeat(16),
  serviceSid: SERVICE,
  to: '+14155552671',
  channel: 'sms',
  phone: '+14155552671',
  phoneFacts: { country: 'US', type: 'FIXED_LINE_OR_MOBILE' },
  email: 'jane@example.com',
  expiresAt: NOW + 600_000,
  attemptOffset: 2,
  knownAttempts: 3,
};

async function refused(text: string, k = key, service = SERVICE, now = NOW): Promise<AppError> {
  try {
    openVerificationHandle(text, k, service, now);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the handle opened');
}

const decoded = (sealed: string) =>
  sealed
    .split('.')
    .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
    .join('.');

describe('verification handle', () => {
  it('opens to exactly what was sealed, and reveals neither the SID nor the destination', async () => {
    const sealed = sealVerificationHandle(payload, key);
    expect(openVerificationHandle(sealed, key, SERVICE, NOW)).toEqual(payload);
    // A compact JWE with direct AES-256-GCM: header, empty key, IV, ciphertext, tag.
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(sealed.split('.')[0], 'base64url').toString('utf8'))).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
    });
    for (const secret of [payload.verificationSid, payload.to, 'jane', 'b2b2b2', '4155552671']) {
      expect(sealed).not.toContain(secret);
      expect(decoded(sealed)).not.toContain(secret);
    }
  });

  it("carries its phone number's country and type exactly when it has a number, and nothing else opens", async () => {
    // An email verification with no phone offered: no facts.
    const email: VerificationHandle = {
      ...payload,
      to: 'jane@example.com',
      channel: 'email',
      email: 'jane@example.com',
    };
    delete email.phone;
    delete email.phoneFacts;
    expect(openVerificationHandle(sealVerificationHandle(email, key), key, SERVICE, NOW)).toEqual(email);
    // A phone offered for fallback carries them; a number with no country (+800) keeps its type only.
    const offered = { ...email, phone: '+80012345678', phoneFacts: { type: 'TOLL_FREE' as const } };
    expect(openVerificationHandle(sealVerificationHandle(offered, key), key, SERVICE, NOW)).toEqual(offered);
    // A number without its facts, or facts without a number, is not a handle we seal.
    const factless = { ...payload };
    delete factless.phoneFacts;
    expect((await refused(sealVerificationHandle(factless, key))).code).toBe('invalid_verification');
    expect((await refused(sealVerificationHandle({ ...email, phoneFacts: payload.phoneFacts }, key))).code).toBe(
      'invalid_verification',
    );
  });

  it('stays short enough to travel in every request, with both fallback destinations at their longest', async () => {
    const longest = {
      ...payload,
      to: `${'a'.repeat(240)}@example.com`,
      email: `${'b'.repeat(240)}@example.com`,
      phone: '+4915112345678901',
    };
    expect(sealVerificationHandle(longest, key).length).toBeLessThanOrEqual(MAX_HANDLE_LENGTH);
    expect(sealVerificationHandle(payload, key).length).toBeLessThan(400);
  });

  it('is different every time (random IV), so two handles for one verification cannot be linked', async () => {
    expect(sealVerificationHandle(payload, key)).not.toBe(sealVerificationHandle(payload, key));
  });

  it('refuses a change to any part: header, IV, ciphertext or tag', async () => {
    const parts = sealVerificationHandle(payload, key).split('.');
    for (const index of [0, 2, 3, 4]) {
      const raw = Buffer.from(parts[index], 'base64url');
      for (const offset of [0, raw.length - 1]) {
        const tampered = Buffer.from(raw);
        tampered[offset] ^= 0x01;
        const text = parts.map((part, i) => (i === index ? tampered.toString('base64url') : part)).join('.');
        const error = await refused(text);
        expect([index, error.code, error.status, error.field]).toEqual([
          index,
          'invalid_verification',
          400,
          'verification',
        ]);
      }
    }
    expect((await refused(parts.slice(0, 4).join('.'))).code).toBe('invalid_verification');
  });

  it('refuses an expired handle (the code window is over)', async () => {
    const sealed = sealVerificationHandle(payload, key);
    expect(openVerificationHandle(sealed, key, SERVICE, payload.expiresAt - 1).verificationSid).toBe(
      payload.verificationSid,
    );
    expect((await refused(sealed, key, SERVICE, payload.expiresAt)).code).toBe('invalid_verification');
  });

  it('refuses a handle from another key (deployment, secret or purpose) or another service', async () => {
    const sealed = sealVerificationHandle(payload, key);
    expect((await refused(sealed, deriveKey({ signingSecret: 'another-secret' }, 'verification-handle'))).code).toBe(
      'invalid_verification',
    );
    expect((await refused(sealed, deriveKey({ authToken: 'unit-test-secret' }, 'verification-handle'))).code).toBe(
      'invalid_verification',
    );
    expect((await refused(sealed, deriveKey({ signingSecret: 'unit-test-secret' }, 'enrolment-handle'))).code).toBe(
      'invalid_verification',
    );
    expect((await refused(sealed, key, 'VA' + 'c3'.repeat(16))).code).toBe('invalid_verification');
  });

  it('refuses an authentic token whose content is not a handle (the payload is checked against its schema)', async () => {
    const { k: _known, ...withoutKnown } = {
      v: payload.verificationSid,
      s: SERVICE,
      t: payload.to,
      c: 'sms',
      x: payload.expiresAt,
      a: 0,
      k: 1,
    };
    for (const content of [
      withoutKnown,
      { ...withoutKnown, k: 0 },
      { ...withoutKnown, k: 1, c: 'pigeon' },
      { ...withoutKnown, k: 1, extra: true },
      'text',
      null,
    ]) {
      expect((await refused(sealToken(content, key))).code).toBe('invalid_verification');
    }
  });

  it('refuses garbage without throwing anything but its own error', async () => {
    for (const garbage of [
      '',
      'x',
      'VE' + 'b2'.repeat(16),
      '!!!!',
      'a'.repeat(2000),
      Buffer.alloc(60).toString('base64url'),
      '%00',
      'AQ',
      'a..b.c.d',
      '....',
    ]) {
      expect((await refused(garbage)).code).toBe('invalid_verification');
    }
  });

  it("has exactly one spelling: the spare bits of a part's last base64url character are not ignored", async () => {
    const sealed = sealVerificationHandle(payload, key);
    const parts = sealed.split('.');
    // The tag (16 bytes, 22 characters) always ends in a character with 4 spare bits: 15 other spellings.
    const tag = parts[4];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = [...alphabet]
      .filter((c) => c !== tag.at(-1))
      .map((c) => tag.slice(0, -1) + c)
      .filter((other) => Buffer.from(other, 'base64url').equals(Buffer.from(tag, 'base64url')));
    expect(sameBytes).toHaveLength(15);
    for (const other of sameBytes)
      expect((await refused([...parts.slice(0, 4), other].join('.'))).code).toBe('invalid_verification');
  });
});
