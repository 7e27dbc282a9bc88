// The QR encoder and SVG renderer only (see qrcode-parts.d.ts).
import { create as createQr } from 'qrcode/lib/core/qrcode';
import { render as renderSvg } from 'qrcode/lib/renderer/svg-tag';
import type { QRCodeSegment } from 'qrcode';
import { AppError } from '../domain/app-error';
import { totpFriendlyName } from '../domain/totp-label';
import { ENROLMENT_HANDLE_TTL_MS, sealEnrolmentHandle } from '../security/enrolment-handle';
import { totpEntityIdentity } from '../security/totp-entity';
import { mapVerifyError } from '../verify/map-verify-error';
import { removeTotpFactors } from './remove-factors';
import { verifyService } from '../verify/verify-client';
import type * as z from 'zod/mini';
import type { totpEnrollResponse } from '../contract/responses';
import type { NewFactorInstance } from 'twilio/lib/rest/verify/v2/service/entity/newFactor';
import type { FlowContext } from './flow-context';

/** Who is enrolling: taken from a verified proof token by the adapter, never from the body. */
export interface TotpSubject {
  /** The proof token's `sub`. */
  subject: string;
  /** The destination the token proved (normalised), sealed into the handle for totp-confirm's token. */
  destination: string;
  /** The destination the token proved, masked (shown in the authenticator app). */
  maskedDestination: string;
}

export type TotpEnrolment = z.output<ReturnType<typeof totpEnrollResponse>>;

/**
 * The mask every enrolment QR code uses. qrcode would otherwise try all eight and keep the one
 * with the lowest ISO 18004 penalty, which is most of a cold start's QR work; every mask
 * decodes, and for otpauth URIs (text plus a random secret) mask 4 is the best fixed choice:
 * its penalty is a few percent above the searched best in the median case (docs/verify-facts.md, TOTP).
 */
export const QR_MASK_PATTERN = 4;

/**
 * Runs of 12 or more characters of QR's alphanumeric set (0–9, A–Z, space, $%*+-./:), where its
 * 5.5 bits a character beat byte mode's 8 by more than a new segment's header costs.
 */
const ALPHANUMERIC_RUN = /[0-9A-Z $%*+\-./:]{12,}/g;

/**
 * The URI cut into segments by hand: the Base32 secret and percent-encoded runs alphanumeric, the
 * rest bytes. Given a plain string, qrcode searches for the optimal split (a shortest path over
 * every character's possible modes), a cold start's second-largest QR cost after the mask; this
 * split yields the same QR version for otpauth URIs (tests/unit/totp-qr.test.ts).
 */
export function qrSegments(text: string): QRCodeSegment[] {
  const segments: QRCodeSegment[] = [];
  let end = 0;
  for (const run of text.matchAll(ALPHANUMERIC_RUN)) {
    if (run.index > end) segments.push({ data: Buffer.from(text.slice(end, run.index)), mode: 'byte' });
    segments.push({ data: run[0], mode: 'alphanumeric' });
    end = run.index + run[0].length;
  }
  if (end < text.length) segments.push({ data: Buffer.from(text.slice(end)), mode: 'byte' });
  return segments;
}

/** The QR code's drawn size in CSS pixels (the page's <img> too): without width/height an SVG renders tiny. */
const QR_SIZE_PX = 240;

/** An `otpauth://` URI as a QR code: an SVG document, error correction M, a two-module margin. */
export function otpauthQrSvg(uri: string): string {
  return renderSvg(createQr(qrSegments(uri), { errorCorrectionLevel: 'M', maskPattern: QR_MASK_PATTERN }), {
    margin: 2,
    width: QR_SIZE_PX,
  });
}

/**
 * Creates a TOTP Factor (status `unverified`) for the subject's Entity and answers what the
 * person needs to add it to an authenticator app. This is the only module that loads the QR
 * library, so only the totp-enroll bundle carries it.
 */
export async function enrollTotp(
  { config, serviceSid, connect }: Pick<FlowContext, 'config' | 'serviceSid' | 'connect'>,
  who: TotpSubject,
): Promise<TotpEnrolment> {
  const connection = connect();
  const entity = totpEntityIdentity(config, who.subject);
  const entityContext = verifyService(connection, serviceSid).entities(entity);
  let factor: NewFactorInstance;
  try {
    // Unverified factors whose enrolment window is over can never be confirmed: removed rather
    // than left for Verify to age out, so an Entity never piles them up. A younger one may be
    // being confirmed right now (another tab): it is left to its own confirm, which replaces
    // what came before it.
    await removeTotpFactors(entityContext, (factors) => {
      const windowStart = connection.serverNow() - ENROLMENT_HANDLE_TTL_MS; // Verify's clock, from the list's answer
      return factors.filter((factor) => factor.status === 'unverified' && factor.dateCreated.getTime() <= windowStart);
    });
    factor = await entityContext.newFactors.create({
      factorType: 'totp',
      friendlyName: totpFriendlyName(config.totpIssuer, who.maskedDestination),
    });
  } catch (err) {
    throw mapVerifyError(err, { notFound: 'server_misconfigured' });
  }
  const binding = factor.binding as { secret?: unknown; uri?: unknown } | null;
  if (typeof binding?.secret !== 'string' || typeof binding.uri !== 'string') {
    throw new AppError('verify_error', { message: 'Verify created the factor without its secret.' });
  }
  const expiresAt = connection.serverNow() + ENROLMENT_HANDLE_TTL_MS;
  const qrSvg = otpauthQrSvg(binding.uri);
  return {
    ok: true,
    status: 'unverified',
    factorSid: factor.sid,
    uri: binding.uri,
    secret: binding.secret,
    qrSvg,
    handle: sealEnrolmentHandle(config, {
      factorSid: factor.sid,
      entity,
      subject: who.subject,
      destination: who.destination,
      expiresAt,
    }),
    expiresAt: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
