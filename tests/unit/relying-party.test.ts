import { readConfig } from '../../src/config';
import { relyingParty } from '../../src/domain/relying-party';

const config = (env: Record<string, string>) => readConfig({ AUTH_TOKEN: 'x', ...env });

describe('the passkeys relying party from the settings', () => {
  it('deployed: DOMAIN_NAME’s host, its https origin, then PASSKEY_ORIGINS; the name from PASSKEY_RP_NAME, TOTP_ISSUER, else "Verification"', () => {
    expect(relyingParty(config({ DOMAIN_NAME: 'verify-1234-dev.twil.io' }))).toEqual({
      id: 'verify-1234-dev.twil.io',
      name: 'Verification',
      origins: ['https://verify-1234-dev.twil.io'],
    });
    expect(relyingParty(config({ DOMAIN_NAME: 'verify-1234-dev.twil.io', TOTP_ISSUER: 'Acme' })).name).toBe('Acme');
    expect(
      relyingParty(
        config({
          DOMAIN_NAME: 'login.example.com',
          PASSKEY_RP_ID: 'Example.com',
          PASSKEY_RP_NAME: 'Shop',
          PASSKEY_ORIGINS: 'https://www.example.com, android:apk-key-hash:Ab_c, https://login.example.com',
        }),
      ),
    ).toEqual({
      id: 'example.com',
      name: 'Shop',
      origins: ['https://login.example.com', 'https://www.example.com', 'android:apk-key-hash:Ab_c'],
    });
  });

  it('locally: `localhost` and the port the request came in on (a browser refuses passkeys on 127.0.0.1); a Host off loopback is never used', () => {
    expect(relyingParty(config({ DOMAIN_NAME: 'localhost:3000' }), '127.0.0.1:4321')).toMatchObject({
      id: 'localhost',
      origins: ['http://localhost:4321'],
    });
    expect(relyingParty(config({ DOMAIN_NAME: 'localhost:3000' }))).toMatchObject({
      id: 'localhost',
      origins: ['http://localhost:3000'],
    });
    expect(relyingParty(config({ DOMAIN_NAME: 'verify.twil.io' }), 'localhost:1')).toMatchObject({
      origins: ['https://verify.twil.io'],
    });
  });

  it.each([
    ['no DOMAIN_NAME', {}],
    ['an IP address', { DOMAIN_NAME: '10.0.0.1' }],
    ['an RP id with a scheme', { DOMAIN_NAME: 'a.twil.io', PASSKEY_RP_ID: 'https://a.twil.io' }],
  ])('is server_misconfigured with %s', (_case, env) => {
    expect(() => relyingParty(config(env as Record<string, string>))).toThrow(
      expect.objectContaining({ code: 'server_misconfigured' }),
    );
  });
});
