// Step 2: the code that was sent. Typing it (or WebOTP filling it), resending it, "call me
// instead", the offer when a send did not arrive, and the dead ends (expired, locked out).
// The code a person types goes into the check request body and nowhere else: no URL, storage or log.
import { checkVerify, resendVerify, startVerify } from './api.js';
import { isReady, startCountdown, stopCountdown } from './countdown.js';
import { CHANNELS } from './data.js';
import { stopDeliveryWatch, watchDelivery } from './delivery.js';
import { verified } from './done-step.js';
import { maskedDestination, spokenDestination } from './masked-destination.js';
import { session } from './session.js';
import {
  $,
  announce,
  clearFieldError,
  clearFieldErrors,
  duration,
  fieldProblem,
  isBusy,
  notify,
  showStep,
  whileBusy,
} from './ui.js';

const codeForm = $('code-form');
const codeInput = $('code');
const verifyButton = $('verify');
const notice = $('code-notice');
const resendRow = $('resend-row');
const resendButton = $('resend');
const switchButton = $('switch');
const deadEnd = $('code-dead-end');
const restartButton = $('restart');
const deliveryOffer = $('delivery-offer');
const deliverySwitch = $('delivery-switch');

/** The channel the delivery offer's button sends on. */
let offerChannel = '';

/** "your number ending in 2671 by SMS": where the latest code went, in words. */
export const sentWhere = () => `${spokenDestination(session.masked)} ${CHANNELS[session.channel]?.sent ?? ''}`.trim();

/** After any send that worked: step 2 for the code just sent, holding resends back as long as the server said. */
export function showCodeStep(sent) {
  Object.assign(session, {
    handle: sent.verification,
    channel: sent.channel,
    masked: sent.to,
    nextChannel: sent.nextChannel || '',
  });
  enterCodeStep();
  startCountdown([resendButton, switchButton], sent.retryAfter);
  deliveryOffer.hidden = true;
  // Watched until the code stops working, on the server's word.
  watchDelivery(session.handle, Date.now() + sent.expiresIn * 1000, offerNextChannel);
}

/** Leaving step 2 (verified, or back to step 1): nothing of it keeps running. */
export function leaveCodeStep() {
  stopWebOtp();
  endDeliveryWatch();
  stopCountdown();
}

/** The code's length: the input's maxlength (set it to your service's 4–10), else 6. */
const codeLength = () => (codeInput.maxLength >= 4 && codeInput.maxLength <= 10 ? codeInput.maxLength : 6);

function enterCodeStep() {
  const { channel, nextChannel } = session;
  const offer = CHANNELS[nextChannel] && nextChannel !== channel;
  switchButton.hidden = !offer;
  if (offer) switchButton.querySelector('.label').textContent = CHANNELS[nextChannel].instead;
  const sentence = { call: ['We’re calling ', ' with your code.'], email: ['We emailed a code to ', '.'] }[channel] ?? [
    'We sent a code to ',
    ` ${CHANNELS[channel]?.sent ?? ''}.`.replace(' .', '.'),
  ];
  $('sent-to').replaceChildren(sentence[0], maskedDestination(session.masked), sentence[1]);
  codeInput.value = '';
  codeInput.placeholder = '•'.repeat(codeLength());
  $('code-label').textContent = `${codeLength()}-digit code`;
  $('change-dest').textContent = channel === 'email' ? 'Change email' : 'Change number';
  codeForm.hidden = resendRow.hidden = false;
  deadEnd.hidden = notice.hidden = true;
  clearFieldErrors();
  showStep('code');
  codeInput.focus();
  listenForWebOtp(channel);
}

// Checking the code

function onCodeInput() {
  const digits = codeInput.value.replace(/\D/g, '').slice(0, 10);
  if (digits !== codeInput.value) codeInput.value = digits;
  clearFieldError(codeInput);
  if (digits.length >= codeLength()) submitCode();
}

async function submitCode(event) {
  event?.preventDefault();
  if (isBusy()) return;
  const code = codeInput.value;
  if (code.length < 4) return fieldProblem(codeInput, `Enter the ${codeLength()}-digit code from the message.`);
  stopWebOtp();
  notice.hidden = true;
  codeInput.readOnly = true;
  const res = await whileBusy(verifyButton, 'Checking…', () => checkVerify({ code, verification: session.handle }));
  codeInput.readOnly = false;
  codeInput.value = '';
  if (res.ok) {
    leaveCodeStep();
    return verified(res);
  }
  const { code: reason, message, retryAfter } = res.error;
  // The server answers the 5th wrong code with max_check_attempts and how long the lockout lasts.
  if (reason === 'max_check_attempts') return lockedOut(retryAfter);
  if (reason === 'verification_not_found') return expired();
  fieldProblem(
    codeInput,
    reason === 'incorrect_code' ? 'That code isn’t right. Check the latest message and type it again.' : message,
  );
}

// Sending again: the same channel ("Resend code"), the next one ("Call me instead", or the
// delivery offer's button), or a new code once the verification is over ("Send a new code").

/** Resend on `channel`; the server enforces the cooldown and answers with the next one. */
async function resend(button, channel) {
  if (!isReady(button)) return;
  const res = await whileBusy(button, 'Sending…', () =>
    resendVerify({ verification: session.handle, channel, locale: session.params.locale }),
  );
  if (!res.ok) return sendFailed(res.error, [resendButton, switchButton]);
  // A resend to the same destination keeps Verify's verification, hence the same code.
  const same = res.to === session.masked;
  showCodeStep(res);
  notify(
    notice,
    same
      ? `We sent your code again to ${sentWhere()}. It’s the same code as before.`
      : `We sent a new code to ${sentWhere()}.`,
  );
}

/** After a dead end: a new verification to the same destination, as step 1 asked. */
async function sendNewCode() {
  if (!isReady(restartButton)) return;
  const res = await whileBusy(restartButton, 'Sending…', () => startVerify(session.params));
  if (!res.ok) return sendFailed(res.error, [restartButton]);
  showCodeStep(res);
  notify(notice, `We sent a new code to ${sentWhere()}.`);
}

/** A send was refused: a dead end, or the server's reason with its wait on `buttons`. */
function sendFailed(error, buttons) {
  if (error.code === 'verification_not_found') return expired();
  if (error.code === 'max_check_attempts') return lockedOut(error.retryAfter);
  notify(notice, error.message, true);
  startCountdown(buttons, error.retryAfter ?? 0);
}

// Dead ends: the verification is over (expired, used, locked); the way on is a new code, perhaps after a wait.

function showDeadEnd(title, text, waitSeconds) {
  stopWebOtp();
  endDeliveryWatch();
  codeForm.hidden = notice.hidden = resendRow.hidden = true;
  deadEnd.hidden = false;
  $('dead-end-text').replaceChildren(
    Object.assign(document.createElement('strong'), { textContent: title }),
    ` ${text}`,
  );
  session.handle = '';
  startCountdown([restartButton], waitSeconds);
  announce(`${title} ${text}`);
  restartButton.focus();
}

/** Locked after too many wrong codes: when a new code can be asked for, as a time and a countdown. */
function lockedOut(waitSeconds) {
  const wait = Math.max(0, Math.ceil(waitSeconds || 0));
  const at = new Date(Date.now() + wait * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  const when =
    wait > 0
      ? `You can ask for a new code in ${duration(wait)} (at ${at}), or use another number.`
      : 'Send a new code to try again.';
  showDeadEnd('Too many incorrect codes.', `For your safety this code is blocked. ${when}`, wait);
}

const expired = () =>
  showDeadEnd('This code has expired.', 'Codes work once, for 10 minutes. Send a new code to continue.', 0);

// Delivery: when a send did not arrive, offer the next channel at once (delivery.js polls).

const NOT_DELIVERED = {
  sms: 'The SMS could not be delivered.',
  call: 'The call did not get through.',
  email: 'The email could not be delivered.',
  whatsapp: 'The WhatsApp message could not be delivered.',
  rcs: 'The RCS message could not be delivered.',
};
const INSTEAD = {
  call: 'Get a call instead?',
  sms: 'Get a text instead?',
  email: 'Get an email instead?',
  whatsapp: 'Use WhatsApp instead?',
  rcs: 'Use RCS instead?',
};

function offerNextChannel({ channel, nextChannel }) {
  if (!CHANNELS[nextChannel] || codeForm.hidden) return;
  offerChannel = nextChannel;
  const message = `${NOT_DELIVERED[channel] ?? 'Your code could not be delivered.'} ${INSTEAD[nextChannel]}`;
  $('delivery-text').textContent = message;
  deliverySwitch.querySelector('.label').textContent = CHANNELS[nextChannel].instead;
  deliveryOffer.hidden = false;
  announce(message);
}

function endDeliveryWatch() {
  stopDeliveryWatch();
  deliveryOffer.hidden = true;
}

// WebOTP: Chrome on Android can fill the code from the SMS.

let otp = null;

function listenForWebOtp(channel) {
  stopWebOtp();
  if (channel !== 'sms' || !('OTPCredential' in window)) return;
  otp = new AbortController();
  navigator.credentials
    .get({ otp: { transport: ['sms'] }, signal: otp.signal })
    .then((credential) => {
      if (!credential?.code || codeForm.hidden) return;
      codeInput.value = credential.code;
      submitCode();
    })
    .catch(() => {}); // aborted or not allowed: typing works as before
}

function stopWebOtp() {
  otp?.abort();
  otp = null;
}

export function wireCodeStep() {
  codeForm.addEventListener('submit', submitCode);
  codeInput.addEventListener('input', onCodeInput);
  resendButton.addEventListener('click', () => resend(resendButton, session.channel));
  switchButton.addEventListener('click', () => resend(switchButton, session.nextChannel));
  deliverySwitch.addEventListener('click', () => resend(deliverySwitch, offerChannel));
  restartButton.addEventListener('click', sendNewCode);
}
