// Signing in with an authenticator app instead of a sent code: offered on step 1 when this
// browser added an app for the destination typed there, then its own step for the app's code.
import { totpCheck } from './api.js';
import { COUNTRIES } from './data.js';
import { verified } from './done-step.js';
import { digest, rememberedApps } from './remembered-apps.js';
import { session } from './session.js';
import { backToStart, readStartForm } from './start-step.js';
import { $, clearFieldError, clearFieldErrors, duration, fieldProblem, isBusy, showStep, whileBusy } from './ui.js';

const instead = $('totp-instead');
const codeInput = $('totp-code');
const verifyButton = $('totp-verify');

/** Step 1's destination in the token's spelling: "+" and digits (a national number gets its country's code), or the email lower-cased. */
function typedDestination() {
  const { params } = readStartForm();
  if (!params) return '';
  if (params.channel === 'email') return params.to.toLowerCase();
  if (params.to.startsWith('+')) return params.to;
  const dial = COUNTRIES.find(([iso]) => iso === params.country)?.[1];
  return dial ? `+${dial}${params.to.replace(/^0/, '')}` : '';
}

async function showAuthenticatorChoice() {
  const typed = typedDestination();
  instead.hidden = !typed || !rememberedApps().includes(await digest(typed));
}

function useAuthenticator() {
  clearFieldErrors();
  codeInput.value = '';
  showStep('totp');
  codeInput.focus();
}

async function signInWithApp(event) {
  event?.preventDefault();
  const code = codeInput.value.replace(/\D/g, '');
  const { params } = readStartForm();
  if (isBusy() || !params) return;
  if (code.length < 6) return fieldProblem(codeInput, 'Enter the 6-digit code your app shows.');
  const res = await whileBusy(verifyButton, 'Checking…', () =>
    totpCheck({ to: params.to, ...(params.country ? { country: params.country } : {}), code }),
  );
  codeInput.value = '';
  if (res.ok) {
    session.masked = res.to || '';
    return verified({ ...res, channel: 'totp' });
  }
  const wait = res.error.retryAfter
    ? ` You can try again in ${duration(res.error.retryAfter)}, or send a code instead.`
    : '';
  fieldProblem(
    codeInput,
    res.error.code === 'incorrect_code'
      ? 'That code isn’t right. Type the code your app shows now.'
      : `${res.error.message}${wait}`,
  );
}

export function wireSignInWithApp() {
  for (const id of ['phone', 'email']) $(id).addEventListener('input', showAuthenticatorChoice);
  for (const id of ['country', 'channel-group']) $(id).addEventListener('change', showAuthenticatorChoice);
  instead.addEventListener('click', useAuthenticator);
  $('totp-form').addEventListener('submit', signInWithApp);
  codeInput.addEventListener('input', () => clearFieldError(codeInput));
  $('totp-back').addEventListener('click', () => backToStart($('send')));
  showAuthenticatorChoice();
}
