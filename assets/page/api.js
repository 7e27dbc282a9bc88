// The calls the page makes, through the typed client generated from the contract (client/,
// types from /openapi.json). The build bundles this module with it, so the page cannot drift
// from the contract. Relative URLs: the page and the functions share an origin. JSON bodies
// keep a leading "+" intact (a form body would need it encoded as %2B). Every call resolves
// to the contract's shape, `{ ok: true, … }` or `{ ok: false, error }`, even offline.
import { createVerifyClient } from '../../client/index';

const client = createVerifyClient({ timeoutMs: 15000 });

/**
 * Answers `verification`, an opaque handle: keep it (and the newest one each resend returns)
 * and send it back; it is the only way to check, resend or cancel this code.
 */
export const startVerify = client.startVerify;

/** Sends the code again after the server's cooldown; `channel` for "call me instead". */
export const resendVerify = client.resendVerify;

export const checkVerify = client.checkVerify;

/** "Change number": the old code stops working. Idempotent, so the answer does not matter. */
export const cancelVerify = client.cancelVerify;

/**
 * What happened to each send (`delivery`: queued, sent, delivered, undelivered, failed; calls:
 * calling, completed, no-answer, busy), and `nextChannel` with `nextChannelRetryAfter` 0 when
 * the latest send did not arrive. Poll politely: the server answers 429 when asked too often.
 */
export const verificationStatus = client.verificationStatus;

/**
 * Adds an authenticator app for the person the proof token names: answers the QR code as
 * `qrSvg`, `secret`, `uri` and `handle` (send it to totpConfirm).
 * @param {string} token
 */
export const totpEnroll = (token) => client.post('/totp-enroll', {}, { token });

/** @param {{handle: string, code: string}} params — answers a proof token (`amr: ["otp"]`). */
export const totpConfirm = (params) => client.post('/totp-confirm', params);

/**
 * Signs in with the authenticator app's code; `to` and `country` as for startVerify. A destination
 * without an app answers like a wrong code.
 * @param {{to: string, country?: string, code: string}} params
 */
export const totpCheck = (params) => client.post('/totp-check', params);

/** Adds a passkey: answers WebAuthn creation options (`publicKey`) and a `handle` for passkeyConfirm. @param {string} token */
export const passkeyRegister = (token) => client.post('/passkey-register', {}, { token });

/** @param {{handle: string, credential: string}} params — `credential`: JSON of the new PublicKeyCredential. */
export const passkeyConfirm = (params) => client.post('/passkey-confirm', params);

/** @param {{to: string, country?: string}} params — answers WebAuthn request options (`publicKey`). */
export const passkeyChallenge = (params) => client.post('/passkey-challenge', params);

/** @param {{to: string, country?: string, credential: string}} params — answers a proof token (`channel: "passkey"`). */
export const passkeyCheck = (params) => client.post('/passkey-check', params);
