import { generate } from 'otplib';

/**
 * What an authenticator app does with a scanned `otpauth://totp/…` URI, through otplib (an
 * implementation independent of the emulator's): the code for `epochSeconds`.
 */
export function codeFromUri(uri: string, epochSeconds: number): Promise<string> {
  const url = new URL(uri);
  if (url.protocol !== 'otpauth:' || url.host !== 'totp')
    throw new Error(`not a TOTP URI: ${url.protocol}//${url.host}`);
  const secret = url.searchParams.get('secret');
  if (!secret) throw new Error('the URI has no secret');
  const algorithm = (url.searchParams.get('algorithm') ?? 'SHA1').toLowerCase() as 'sha1' | 'sha256' | 'sha512';
  const digits = Number(url.searchParams.get('digits') ?? 6) as 6 | 7 | 8;
  const period = Number(url.searchParams.get('period') ?? 30);
  return generate({ secret, algorithm, digits, period, epoch: epochSeconds });
}
