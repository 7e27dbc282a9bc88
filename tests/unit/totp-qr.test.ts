import fc from 'fast-check';
import { create as createQr } from 'qrcode/lib/core/qrcode';
import { otpauthQrSvg, QR_MASK_PATTERN, qrSegments } from '../../src/flows/totp-enroll';
import { decodeQrSvg } from '../support/qr-svg';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** otpauth URIs shaped like Verify's: an issuer, a masked destination, a 32-character Base32 secret. */
const otpauthUri = fc
  .record({
    issuer: fc.string({ minLength: 1, maxLength: 40 }),
    account: fc.oneof(
      fc.stringMatching(/^\+[1-9]\d{0,2}\*{4,10}\d{2}$/),
      fc.stringMatching(/^[a-z]\*{3}@[a-z]{1,20}\.[a-z]{2,6}$/),
    ),
    secret: fc.array(fc.constantFrom(...BASE32), { minLength: 32, maxLength: 32 }).map((chars) => chars.join('')),
  })
  .map(({ issuer, account, secret }) => {
    const name = encodeURIComponent(issuer);
    return `otpauth://totp/${name}:${name}%20${encodeURIComponent(account)}?secret=${secret}&issuer=${name}&algorithm=SHA1&digits=6&period=30`;
  });

describe('the enrolment QR code', () => {
  it('reads back as the exact otpauth URI for any issuer, destination and secret (independent decoder)', () => {
    fc.assert(
      fc.property(otpauthUri, (uri) => {
        expect(decodeQrSvg(otpauthQrSvg(uri))).toBe(uri);
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it("is cut into segments by hand without growing: the same QR version as qrcode's own optimal split", () => {
    fc.assert(
      fc.property(otpauthUri, (uri) => {
        const segments = qrSegments(uri);
        expect(segments.map((s) => Buffer.from(s.data as string | Uint8Array).toString()).join('')).toBe(uri);
        const options = { errorCorrectionLevel: 'M', maskPattern: QR_MASK_PATTERN } as const;
        expect(createQr(segments, options).version).toBe(createQr(uri, options).version);
      }),
      { numRuns: 200, seed: 7 },
    );
    // The secret, in QR's alphanumeric set, is one alphanumeric run; lower-case text stays bytes.
    const modes = qrSegments('otpauth://totp/a:b?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=a').map((s) => s.mode);
    expect(modes).toEqual(['byte', 'alphanumeric', 'byte']);
  });

  it('uses the fixed mask and error correction M that docs/verify-facts.md gives the reasons for', () => {
    const uri =
      'otpauth://totp/Acme:Acme%20%2B1******71?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Acme&algorithm=SHA1&digits=6&period=30';
    const symbol = createQr(uri, { errorCorrectionLevel: 'M', maskPattern: QR_MASK_PATTERN });
    expect(symbol.maskPattern).toBe(4);
    expect(symbol.errorCorrectionLevel.bit).toBe(0); // M
    expect(otpauthQrSvg(uri)).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="240" height="240" viewBox="0 0 (\d+) \1"/,
    );
  });

  it('gives the SVG a width and height (an SVG without them renders at its viewBox size, ~53 px), as the page draws it', () => {
    const svg = otpauthQrSvg('otpauth://totp/A:B?secret=JBSWY3DPEHPK3PXP');
    expect(svg).toMatch(/^<svg [^>]*width="240" height="240"/);
    expect(decodeQrSvg(svg)).toBe('otpauth://totp/A:B?secret=JBSWY3DPEHPK3PXP');
  });

  it('the decoder refuses what is not a readable code, so the property above can fail', () => {
    const svg = otpauthQrSvg('otpauth://totp/A:B?secret=JBSWY3DPEHPK3PXP');
    // Drop every other run: the finder patterns and data break up.
    const damaged = svg.replace(/(m\d+ 0h\d+)(m\d+ 0h\d+)/g, '$1');
    expect(decodeQrSvg(damaged)).toBeNull();
    expect(decodeQrSvg('<svg/>')).toBeNull();
  });
});
