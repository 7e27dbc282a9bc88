/**
 * Inputs of the passkey routes. The credential a browser (or a platform SDK) produced is sent
 * as one parameter, `credential`: the JSON of the PublicKeyCredential (`credential.toJSON()`
 * in a browser), a string in a form body or in a JSON one, parsed and checked here member by
 * member; the WebAuthn checks themselves are Verify's.
 */
import * as z from 'zod/mini';
import { SEALED_TOKEN_PATTERN } from '../../security/sealed-token';
import { country, destination, strictParams, text } from './fields';

/** Base64url, as WebAuthn's JSON encodes every binary member. */
const b64url = (max: number) => z.string().check(z.maxLength(max), z.regex(/^[A-Za-z0-9_-]+$/));
const attachment = () => z.optional(z.enum(['platform', 'cross-platform']));

const buildAttestation = () =>
  z.object({
    id: b64url(1400),
    rawId: b64url(1400),
    type: z.literal('public-key'),
    authenticatorAttachment: attachment(),
    response: z.object({
      attestationObject: b64url(16_000),
      clientDataJSON: b64url(4_000),
      transports: z.optional(
        z.array(z.enum(['usb', 'nfc', 'ble', 'smart-card', 'internal', 'hybrid'])).check(z.maxLength(6)),
      ),
    }),
  });

const buildAssertion = () =>
  z.object({
    id: b64url(1400),
    rawId: b64url(1400),
    type: z.literal('public-key'),
    authenticatorAttachment: z._default(z.enum(['platform', 'cross-platform']), 'platform'),
    response: z.object({
      authenticatorData: b64url(4_000),
      clientDataJSON: b64url(4_000),
      signature: b64url(1_000),
      userHandle: z.optional(b64url(200)),
    }),
  });

const MESSAGE =
  '`credential` must be the JSON of the PublicKeyCredential your browser or app returned (credential.toJSON()).';

/** `credential`: a JSON text parsed and checked against `shape`. */
function credential<T extends z.ZodMiniType>(shape: () => T) {
  return z.pipe(
    text('credential', 24_000),
    z.transform((value: string, ctx): z.output<T> => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      const result = shape().safeParse(parsed);
      if (!result.success) {
        ctx.issues.push({ code: 'custom', input: value, message: MESSAGE });
        return z.NEVER;
      }
      return result.data;
    }),
  );
}

const handle = () =>
  text('handle', 1024).check(
    z.refine((v: string) => SEALED_TOKEN_PATTERN.test(v), '`handle` is not a registration handle.'),
  );

let confirm: ReturnType<typeof buildConfirm> | undefined;
const buildConfirm = () => strictParams({ handle: handle(), credential: credential(buildAttestation) });
export const passkeyConfirmSchema = () => (confirm ??= buildConfirm());
export type PasskeyConfirmInput = z.output<ReturnType<typeof buildConfirm>>;

let challenge: ReturnType<typeof buildChallenge> | undefined;
/** `to` names whose passkeys may answer; without it the challenge is discoverable (any of the service's, e.g. the browser's autofill). */
const buildChallenge = () => strictParams({ to: z.optional(destination('to', 254)), country: z.optional(country()) });
export const passkeyChallengeSchema = () => (challenge ??= buildChallenge());

let check: ReturnType<typeof buildCheck> | undefined;
const buildCheck = () =>
  strictParams({
    to: z.optional(destination('to', 254)),
    country: z.optional(country()),
    credential: credential(buildAssertion),
  });
export const passkeyCheckSchema = () => (check ??= buildCheck());
export type PasskeyCheckInput = z.output<ReturnType<typeof buildCheck>>;
