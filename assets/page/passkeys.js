// Passkeys: "Add a passkey" on the done step (after a code sent to the person), and "Sign in
// with a passkey" on step 1 when this browser added one for the destination typed there; in
// browsers with conditional mediation, the browser's autofill on the number and email fields
// offers the passkey too (only once this browser added one: no request otherwise). The
// browser's WebAuthn JSON helpers turn the server's options into what credentials.create/get
// take, and the credential back into JSON; without them (older browsers) nothing is offered.
import { passkeyChallenge, passkeyCheck, passkeyConfirm, passkeyRegister } from './api.js';
import { verified } from './done-step.js';
import { showRecoveryCodes } from './recovery-codes.js';
import { digest, rememberApp, rememberedApps } from './remembered-apps.js';
import { session } from './session.js';
import { readStartForm } from './start-step.js';
import { typedDestination } from './sign-in-with-app.js';
import { $, isBusy, notify, whileBusy } from './ui.js';

const supported = Boolean(globalThis.PublicKeyCredential?.parseCreationOptionsFromJSON);
const addButton = $('passkey-add');
const instead = $('passkey-instead');
const notice = $('totp-notice');
let token = '';
/** The autofill request in progress: a browser takes one credentials request at a time, so it is aborted before another. */
let autofill;
const stopAutofill = () => autofill?.abort();

/** Offered with a sent code's proof token, like the authenticator app (the server refuses other tokens). */
export function offerPasskey(res) {
  token = ['totp', 'passkey', 'recovery'].includes(res.channel) ? '' : res.token || '';
  addButton.hidden = !supported || !token;
}

/** The page's "cancelled" for a prompt the person closed (NotAllowedError), else the error's message. */
const promptProblem = (error) =>
  error?.name === 'NotAllowedError'
    ? 'The passkey prompt was closed. Try again when you are ready.'
    : 'This browser could not use a passkey here.';

async function addPasskey() {
  if (isBusy()) return;
  stopAutofill();
  await whileBusy(addButton, 'Waiting for your passkey…', async () => {
    const res = await passkeyRegister(token);
    if (!res.ok) return notify(notice, res.error.message, true);
    let credential;
    try {
      credential = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(res.publicKey),
      });
    } catch (error) {
      return notify(notice, promptProblem(error), true);
    }
    const confirmed = await passkeyConfirm({ handle: res.handle, credential: JSON.stringify(credential.toJSON()) });
    if (!confirmed.ok) return notify(notice, confirmed.error.message, true);
    // The sent code's token is spent: the other offer goes too.
    addButton.hidden = $('totp-add').hidden = true;
    await rememberApp(confirmed.token, 'passkey');
    notify(notice, 'Passkey added. Next time, choose “Sign in with a passkey”.');
    showRecoveryCodes(confirmed.recoveryCodes);
  });
}

async function showPasskeyChoice() {
  const typed = typedDestination();
  instead.hidden = !supported || !typed || !rememberedApps('passkey').includes(await digest(typed));
}

async function signInWithPasskey() {
  const { params } = readStartForm();
  if (isBusy() || !params) return;
  stopAutofill();
  const where = { to: params.to, ...(params.country ? { country: params.country } : {}) };
  await whileBusy(instead, 'Waiting for your passkey…', async () => {
    const res = await passkeyChallenge(where);
    if (!res.ok) return notify($('start-error'), res.error.message, true);
    let credential;
    try {
      credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(res.publicKey),
      });
    } catch (error) {
      return notify($('start-error'), promptProblem(error), true);
    }
    await finishSignIn(await passkeyCheck({ ...where, credential: JSON.stringify(credential.toJSON()) }));
  });
}

function finishSignIn(checked) {
  if (!checked.ok)
    return notify(
      $('start-error'),
      checked.error.code === 'passkey_not_accepted'
        ? 'That passkey could not sign you in. Send a code instead.'
        : checked.error.message,
      true,
    );
  session.masked = checked.to || '';
  verified({ ...checked, channel: 'passkey' });
}

/** The browser's autofill (conditional mediation) with a discoverable challenge: the passkey says who. */
async function offerAutofill() {
  if (
    !supported ||
    !rememberedApps('passkey').length ||
    !(await PublicKeyCredential.isConditionalMediationAvailable?.())
  )
    return;
  const res = await passkeyChallenge({});
  if (!res.ok) return;
  autofill = new AbortController();
  const credential = await navigator.credentials
    .get({
      mediation: 'conditional',
      signal: autofill.signal,
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(res.publicKey),
    })
    .catch(() => undefined);
  // A click on "Sign in with a passkey" may already be signing in: one sign-in at a time.
  if (!credential || isBusy()) return;
  await whileBusy(instead, 'Signing you in…', async () =>
    finishSignIn(await passkeyCheck({ credential: JSON.stringify(credential.toJSON()) })),
  );
}

export function wirePasskeys() {
  addButton.addEventListener('click', addPasskey);
  instead.addEventListener('click', signInWithPasskey);
  for (const id of ['phone', 'email']) $(id).addEventListener('input', showPasskeyChoice);
  for (const id of ['country', 'channel-group']) $(id).addEventListener('change', showPasskeyChoice);
  showPasskeyChoice();
  offerAutofill();
}
