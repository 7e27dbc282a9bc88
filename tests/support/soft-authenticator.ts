/**
 * A software WebAuthn authenticator for tests that run without a browser: it answers creation
 * options with a "none" attestation and request options with an ES256 assertion, the bytes a
 * browser would send. CBOR by @levischuck/tiny-cbor, signatures by node:crypto; nothing here is
 * checked against itself: the emulator verifies with @simplewebauthn/server, the browser tests
 * use Chromium's own virtual authenticator.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface CreationOptions {
  rp: { id: string };
  user: { id: string };
  challenge: string;
}
export interface RequestOptions {
  rpId: string;
  challenge: string;
}

export interface SoftAuthenticatorOptions {
  /** The page's origin the client data names (a wrong one must be refused). */
  origin: string;
  /** Whether it sets the user-verified flag (UV). */
  userVerified?: boolean;
}

export interface SoftCredential {
  id: string;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export function softAuthenticator(options: SoftAuthenticatorOptions) {
  const credentials: SoftCredential[] = [];
  const flags = (extra: number) => FLAG_UP | (options.userVerified === false ? 0 : FLAG_UV) | extra;
  const clientData = (type: string, challenge: string, origin = options.origin) =>
    b64url(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  const counterBytes = (n: number) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(n);
    return out;
  };

  return {
    credentials,
    /** What `navigator.credentials.create({ publicKey })` resolves to, as JSON. */
    create(publicKey: CreationOptions, overrides: { origin?: string } = {}) {
      const { privateKey, publicKey: pub } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = pub.export({ format: 'jwk' });
      const id = randomBytes(16);
      const cose = new Map<number, CBORType>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))],
        [-3, new Uint8Array(Buffer.from(jwk.y ?? '', 'base64url'))],
      ]);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        sha256(publicKey.rp.id),
        Buffer.from([flags(FLAG_AT)]),
        counterBytes(0),
        Buffer.alloc(16),
        idLength,
        id,
        Buffer.from(encodeCBOR(cose)),
      ]);
      const attestationObject = encodeCBOR(
        new Map<string, CBORType>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, CBORType>()],
          ['authData', new Uint8Array(authData)],
        ]),
      );
      credentials.push({
        id: b64url(id),
        privateKey,
        rpId: publicKey.rp.id,
        userHandle: publicKey.user.id,
        counter: 0,
      });
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: 'public-key' as const,
        authenticatorAttachment: 'platform' as const,
        response: {
          attestationObject: b64url(attestationObject),
          clientDataJSON: clientData('webauthn.create', publicKey.challenge, overrides.origin),
          transports: ['internal'],
        },
      };
    },
    /** What `navigator.credentials.get({ publicKey })` resolves to, as JSON; `counter` forces the signature counter (a clone's). */
    get(publicKey: RequestOptions, overrides: { origin?: string; counter?: number; credential?: SoftCredential } = {}) {
      // The newest credential for the RP (an earlier one may be a registration that was refused).
      const credential =
        overrides.credential ?? [...credentials].reverse().find((candidate) => candidate.rpId === publicKey.rpId);
      if (!credential) throw new Error('no credential for this relying party');
      credential.counter = overrides.counter ?? credential.counter + 1;
      const authData = Buffer.concat([
        sha256(publicKey.rpId),
        Buffer.from([flags(0)]),
        counterBytes(credential.counter),
      ]);
      const clientDataJSON = clientData('webauthn.get', publicKey.challenge, overrides.origin);
      const signature = sign(
        'sha256',
        Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]),
        credential.privateKey,
      );
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key' as const,
        authenticatorAttachment: 'platform' as const,
        response: {
          authenticatorData: b64url(authData),
          clientDataJSON,
          signature: b64url(signature),
          userHandle: credential.userHandle,
        },
      };
    },
  };
}
