import { AppError } from '../../src/domain/app-error';
import { deriveKey } from '../../src/security/derived-keys';

describe('deriveKey', () => {
  it('gives each purpose its own 32-byte key from the same secret', () => {
    const handle = deriveKey({ signingSecret: 's3cret' }, 'verification-handle');
    const subject = deriveKey({ signingSecret: 's3cret' }, 'subject-id');
    expect(handle).toHaveLength(32);
    expect(handle.equals(subject)).toBe(false);
  });

  it('prefers SIGNING_SECRET and labels the auth-token fallback separately', () => {
    const fromSecret = deriveKey({ signingSecret: 'x', authToken: 'x' }, 'verification-handle');
    const fromToken = deriveKey({ authToken: 'x' }, 'verification-handle');
    expect(fromSecret.equals(fromToken)).toBe(false);
    expect(deriveKey({ signingSecret: ' ', authToken: 'x' }, 'verification-handle').equals(fromToken)).toBe(true);
  });

  it('is stable for the same input and changes with the secret', () => {
    expect(
      deriveKey({ signingSecret: 'a' }, 'subject-id').equals(deriveKey({ signingSecret: 'a' }, 'subject-id')),
    ).toBe(true);
    expect(
      deriveKey({ signingSecret: 'a' }, 'subject-id').equals(deriveKey({ signingSecret: 'b' }, 'subject-id')),
    ).toBe(false);
  });

  it('refuses to derive anything without key material', () => {
    expect(() => deriveKey({}, 'subject-id')).toThrow(AppError);
    expect(() => deriveKey({ signingSecret: '', authToken: '  ' }, 'subject-id')).toThrow(/SIGNING_SECRET/);
  });
});
