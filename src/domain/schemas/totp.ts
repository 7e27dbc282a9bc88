/**
 * Inputs of the TOTP routes (the subject and masked destination come from the proof token,
 * never from the body). One module for the small schemas: each is built on first use.
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
  text('handle', 1024).check(z.refine((v: string) => SEALED_TOKEN_PATTERN.test(v), '`handle` is not an enrolment handle.'));

const factorSid = () =>
  text('factorSid', 34).check(z.refine((v: string) => /^YF[0-9a-fA-F]{32}$/.test(v), '`factorSid` must be YF followed by 32 hex characters.'));

let confirm: ReturnType<typeof buildConfirm> | undefined;
const buildConfirm = () => strictParams({ handle: handle(), code: code() });
export const totpConfirmSchema = () => (confirm ??= buildConfirm());
export type TotpConfirmInput = z.output<ReturnType<typeof buildConfirm>>;

let check: ReturnType<typeof buildCheck> | undefined;
/** `to` as /start-verify takes it (a phone number, with `country` for a national one, or an email). */
const buildCheck = () => strictParams({ to: destination('to', 254), country: z.optional(country()), code: code() });
export const totpCheckSchema = () => (check ??= buildCheck());
export type TotpCheckInput = z.output<ReturnType<typeof buildCheck>>;

let remove: ReturnType<typeof buildRemove> | undefined;
const buildRemove = () => strictParams({ factorSid: factorSid() });
export const totpRemoveSchema = () => (remove ??= buildRemove());
export type TotpRemoveInput = z.output<ReturnType<typeof buildRemove>>;

/** totp-enroll and totp-factors take no parameters: everything comes from the proof token. */
let none: ReturnType<typeof buildNone> | undefined;
const buildNone = () => strictParams({});
export const noParamsSchema = () => (none ??= buildNone());
