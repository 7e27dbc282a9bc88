/**
 * Inputs of the TOTP routes (the subject and masked destination come from the proof token,
 * never from the body). One module for the small schemas: builders, which defineRoute runs once, on first use.
 */
import * as z from 'zod/mini';
import { SEALED_TOKEN_PATTERN } from '../../security/sealed-token';
import { country, destination, strictParams, text } from './fields';

/** An authenticator code: 3–8 digits (Verify's Config.CodeLength range); spaces and dashes people type are dropped. */
const code = () =>
  text('code', 32).check(
    z.overwrite((v: string) => v.replace(/[\s-]/g, '')),
    z.refine((v: string) => /^\d{3,8}$/.test(v), '`code` must be the 3 to 8 digits your authenticator app shows.'),
  );

const handle = () =>
  text('handle', 1024).check(
    z.refine((v: string) => SEALED_TOKEN_PATTERN.test(v), '`handle` is not an enrolment handle.'),
  );

const factorSid = () =>
  text('factorSid', 34).check(
    z.refine((v: string) => /^YF[0-9a-fA-F]{32}$/.test(v), '`factorSid` must be YF followed by 32 hex characters.'),
  );

export const totpConfirmSchema = () => strictParams({ handle: handle(), code: code() });
export type TotpConfirmInput = z.output<ReturnType<typeof totpConfirmSchema>>;

/** `to` as /start-verify takes it (a phone number, with `country` for a national one, or an email). */
export const totpCheckSchema = () =>
  strictParams({ to: destination('to', 254), country: z.optional(country()), code: code() });
export type TotpCheckInput = z.output<ReturnType<typeof totpCheckSchema>>;

export const totpRemoveSchema = () => strictParams({ factorSid: factorSid() });
export type TotpRemoveInput = z.output<ReturnType<typeof totpRemoveSchema>>;

/** totp-enroll and totp-factors take no parameters: everything comes from the proof token. */
export const noParamsSchema = () => strictParams({});
