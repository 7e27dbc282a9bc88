// Adding an authenticator app on the done step, after a code sent by SMS, call, email…:
// the QR code, the key to type by hand, and the app's first code to confirm it.
import { totpConfirm, totpEnroll } from './api.js';
import { rememberApp } from './remembered-apps.js';
import { $, announce, clearFieldError, fieldProblem, isBusy, notify, whileBusy } from './ui.js';

const addButton = $('totp-add');
const panel = $('totp-panel');
const qr = $('totp-qr');
const secret = $('totp-secret');
const confirmCode = $('totp-confirm-code');
const confirmButton = $('totp-confirm');
const notice = $('totp-notice');

const enrolment = { token: '', handle: '' };

/**
 * Offers an app when the approval came with a proof token for a sent code: an app's own sign-in
 * (`channel: 'totp'`) cannot add one (the server answers 403 sent_code_required).
 */
export function offerAuthenticator(res) {
  enrolment.token = res.channel === 'totp' ? '' : res.token || '';
  addButton.hidden = !enrolment.token;
  panel.hidden = notice.hidden = true;
}

async function startEnrolment() {
  if (isBusy()) return;
  const res = await whileBusy(addButton, 'Preparing…', () => totpEnroll(enrolment.token));
  if (!res.ok) return notify(notice, res.error.message, true);
  enrolment.handle = res.handle;
  // An <img> (not inline markup): nothing in the server's SVG can run in the page.
  qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(res.qrSvg)}`;
  secret.textContent = res.secret.replace(/(.{4})/g, '$1 ').trim();
  addButton.hidden = true;
  panel.hidden = false;
  confirmCode.value = '';
  $('totp-panel-title').focus();
  announce('Scan the QR code, then type the code your app shows.');
}

async function copySecret() {
  const copied = await navigator.clipboard?.writeText(secret.textContent.replace(/\s/g, '')).then(
    () => true,
    () => false,
  );
  announce(copied ? 'Key copied.' : 'Select the key and copy it.');
}

async function confirmEnrolment(event) {
  event.preventDefault();
  const code = confirmCode.value.replace(/\D/g, '');
  if (isBusy()) return;
  if (code.length < 6) return fieldProblem(confirmCode, 'Enter the 6-digit code your app shows.');
  const res = await whileBusy(confirmButton, 'Checking…', () => totpConfirm({ handle: enrolment.handle, code }));
  confirmCode.value = '';
  if (!res.ok) {
    if (res.error.code === 'incorrect_code')
      return fieldProblem(confirmCode, 'That code isn’t right. Type the code your app shows now.');
    panel.hidden = true;
    addButton.hidden = false;
    return notify(notice, res.error.message, true);
  }
  await rememberApp(res.token);
  panel.hidden = true;
  notify(notice, 'Authenticator app added. Next time, choose “Use your authenticator app instead”.');
  $('done-title').focus();
}

export function wireAddApp() {
  addButton.addEventListener('click', startEnrolment);
  $('totp-copy').addEventListener('click', copySecret);
  $('totp-confirm-form').addEventListener('submit', confirmEnrolment);
  confirmCode.addEventListener('input', () => clearFieldError(confirmCode));
}
