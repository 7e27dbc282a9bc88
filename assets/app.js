// The verification page: three steps (start → code → done) over the functions in api.js.
// The code a person types goes into the check request body and nowhere else: no URL, storage or log.
import { cancelVerify, checkVerify, resendVerify, startVerify, totpCheck, totpConfirm, totpEnroll } from './api.js';
import { CHANNELS, COUNTRIES, LOCALES } from './data.js';
import { stopDeliveryWatch, watchDelivery } from './delivery.js';

const RESEND_SECONDS = 30; // when the server does not say (retryAfter)
const CODE_LIFETIME_SECONDS = 600;
const MAX_WRONG_CODES = 5;

const $ = (id) => document.getElementById(id);
const ui = {
  steps: document.querySelectorAll('.step'), progress: document.querySelectorAll('.progress li'),
  startForm: $('start-form'), channels: $('channel-group'), phoneField: $('phone-field'),
  emailField: $('email-field'), country: $('country'), countryFace: $('country-face'), phone: $('phone'),
  email: $('email'), locale: $('locale'), startError: $('start-error'), send: $('send'), sentTo: $('sent-to'),
  codeForm: $('code-form'), code: $('code'), codeLabel: $('code-label'), verify: $('verify'),
  deadEnd: $('code-dead-end'), deadEndText: $('dead-end-text'), restart: $('restart'),
  notice: $('code-notice'), resendRow: $('resend-row'), resend: $('resend'), switch: $('switch'), changeDest: $('change-dest'),
  doneDest: $('done-dest'), status: $('status'),
  deliveryOffer: $('delivery-offer'), deliveryText: $('delivery-text'), deliverySwitch: $('delivery-switch'),
};

/** The verification in progress: what it was started with and what the server said since. */
const state = { params: null, handle: '', channel: '', masked: '', nextChannel: '', offerChannel: '', startedAt: 0, wrongCodes: 0, busy: false, timer: 0, otp: null };

// Step 1: where to send the code

function fillChoices() {
  const regionName = displayNames('en', 'region');
  const countries = COUNTRIES.map(([iso, dial]) => [regionName(iso), iso, dial]).sort((a, b) => a[0].localeCompare(b[0]));
  for (const [name, iso, dial] of countries) {
    const option = new Option(`${name} (+${dial})`, iso);
    option.dataset.dial = dial;
    ui.country.add(option);
  }
  // navigator.language "fr" has no region; maximize() supplies the likely one ("fr-Latn-FR").
  const region = tryOr(() => new Intl.Locale(navigator.language).maximize().region);
  ui.country.value = COUNTRIES.some(([iso]) => iso === region) ? region : 'US';
  showCountryFace();

  for (const code of LOCALES) {
    const name = displayNames(code, 'language')(code);
    ui.locale.add(Object.assign(new Option(name.charAt(0).toLocaleUpperCase(code) + name.slice(1), code), { lang: code }));
  }
  const wanted = navigator.language || 'en';
  ui.locale.value = [wanted, wanted.split('-')[0], 'en'].find((l) => LOCALES.includes(l));
}

function displayNames(locale, type) {
  const names = tryOr(() => new Intl.DisplayNames([locale], { type }));
  return (code) => tryOr(() => names.of(code)) || code;
}

function tryOr(fn) {
  try { return fn(); } catch { return undefined; }
}

function showCountryFace() {
  const option = ui.country.selectedOptions[0];
  ui.countryFace.textContent = `${option.value} +${option.dataset.dial}`;
}

const selectedChannel = () => ui.startForm.elements.channel.value;
const destinationInput = () => (selectedChannel() === 'email' ? ui.email : ui.phone);

function showDestinationField() {
  ui.phoneField.hidden = selectedChannel() === 'email';
  ui.emailField.hidden = selectedChannel() !== 'email';
}

/** The start request, or the first problem with the form. Mirrors the server's own checks. */
function readStartForm() {
  const channel = selectedChannel();
  const locale = ui.locale.value;
  const problem = (message) => ({ error: { field: 'to', message } });
  if (channel === 'email') {
    const to = ui.email.value.trim();
    if (!to) return problem('Enter your email address.');
    if (to.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(to)) return problem('Enter an email address like name@example.com.');
    return { params: { to, channel, locale } };
  }
  const typed = ui.phone.value.trim();
  const digits = typed.replace(/\D/g, '');
  if (!typed) return problem('Enter your phone number.');
  if (!/^\+?[\d\s().-]+$/.test(typed)) return problem('Use digits only, with an optional + in front.');
  if (typed.startsWith('+')) {
    if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) {
      return problem('Enter the full number with its country code, like +44 7400 123456.');
    }
    return { params: { to: `+${digits}`, channel, locale } };
  }
  if (digits.length < 5 || digits.length > 14) return problem(`That number looks too ${digits.length < 5 ? 'short' : 'long'}. Check it and try again.`);
  return { params: { to: digits, country: ui.country.value, channel, locale } };
}

function onStart(event) {
  event.preventDefault();
  if (state.busy) return;
  clearErrors();
  const { params, error } = readStartForm();
  if (error) return showStartError(error);
  state.params = params;
  send(ui.send, () => startVerify(params));
}

/** The control an error belongs to: by its `field`, else by its code; null for form-wide errors. */
function controlFor({ field, code }) {
  const byField = { to: destinationInput(), country: ui.country, channel: ui.channels, locale: ui.locale };
  if (byField[field]) return byField[field];
  if (/^(invalid_phone_number|invalid_email|destination_blocked|landline_not_supported)$/.test(code)) return destinationInput();
  if (/^(unsupported_channel|channel_disabled)$/.test(code)) return ui.channels;
  return null;
}

function showStartError(error) {
  const control = controlFor(error);
  // After 5 wrong codes Verify blocks the destination until that verification's 10 minutes are over.
  const said = error.code === 'max_check_attempts' ? 'Too many incorrect codes were entered for this destination. Wait a few minutes, or use another one.' : error.message;
  const message = error.retryAfter ? `${said} You can try again in ${duration(error.retryAfter)}.` : said;
  if (control) {
    showFieldError(control, message);
    (control === ui.channels ? control.querySelector(':checked') : control).focus();
  } else {
    ui.startError.textContent = message;
    ui.startError.hidden = false;
  }
  announce(message);
}

// Sending: first send (ui.send), resend (ui.resend, ui.switch), new code after a dead end (ui.restart)

async function send(button, request) {
  setBusy(button, true, 'Sending…');
  const res = await request();
  setBusy(button, false);
  if (!res.ok) {
    if (button === ui.send) return showStartError(res.error);
    if (res.error.code === 'verification_not_found') return expired();
    if (res.error.code === 'max_check_attempts') return lockedOut(res.error.retryAfter);
    showNotice(res.error.message, true);
    return startCountdown(button === ui.restart ? [ui.restart] : [ui.resend, ui.switch], res.error.retryAfter ?? 0);
  }
  // A resend to the same destination keeps Verify's verification, hence the same code.
  const again = button !== ui.send && button !== ui.restart && res.to === state.masked;
  if (!again) Object.assign(state, { startedAt: Date.now(), wrongCodes: 0 });
  state.handle = res.verification;
  Object.assign(state, { channel: res.channel || state.params.channel, masked: res.to || '', nextChannel: res.nextChannel || '' });
  enterCodeStep();
  startCountdown([ui.resend, ui.switch], res.retryAfter ?? RESEND_SECONDS);
  watchThisCode();
  const where = `${spokenDestination()} ${CHANNELS[state.channel]?.sent ?? ''}`.trim();
  if (button === ui.send) return announce(`Code sent to ${where}. Enter it below.`);
  showNotice(again ? `We sent your code again to ${where}. It’s the same code as before.` : `We sent a new code to ${where}.`);
}

/** Resend on the same channel, or on `channel` ("call me instead"); the server enforces the cooldown. */
function resend(button, channel) {
  if (ready(button)) send(button, () => resendVerify({ verification: state.handle, channel, locale: state.params.locale }));
}

// Step 2: the code

/** The code's length: the input's maxlength (set it to your service's 4–10), else 6. */
const codeLength = () => (ui.code.maxLength >= 4 && ui.code.maxLength <= 10 ? ui.code.maxLength : 6);

function enterCodeStep() {
  const channel = state.channel;
  const offer = CHANNELS[state.nextChannel] && state.nextChannel !== channel;
  ui.switch.hidden = !offer;
  if (offer) ui.switch.querySelector('.label').textContent = CHANNELS[state.nextChannel].instead;
  const sentence = { call: ['We’re calling ', ' with your code.'], email: ['We emailed a code to ', '.'] }[channel]
    ?? ['We sent a code to ', ` ${CHANNELS[channel]?.sent ?? ''}.`.replace(' .', '.')];
  ui.sentTo.replaceChildren(sentence[0], maskedDestination(), sentence[1]);
  ui.code.value = '';
  ui.code.placeholder = '•'.repeat(codeLength());
  ui.codeLabel.textContent = `${codeLength()}-digit code`;
  ui.changeDest.textContent = channel === 'email' ? 'Change email' : 'Change number';
  ui.codeForm.hidden = ui.resendRow.hidden = false;
  ui.deadEnd.hidden = ui.notice.hidden = true;
  clearErrors();
  showStep('code');
  ui.code.focus();
  listenForWebOtp(channel);
}

/** "+1******2671" → "+1 ••• ••• 2671" on screen, "your number ending in 2671" for screen readers. */
function maskedDestination() {
  const strong = document.createElement('strong');
  const phone = /^(\+\d{1,3})(\*+)(\d{2,4})$/.exec(state.masked);
  if (!phone) {
    strong.textContent = state.masked.replace(/\*+/g, '•••');
    return strong;
  }
  strong.innerHTML = '<span aria-hidden="true" class="nowrap"></span><span class="visually-hidden"></span>';
  strong.firstChild.textContent = [phone[1], ...phone[2].replace(/\*/g, '•').match(/.{1,3}/g), phone[3]].join(' ');
  strong.lastChild.textContent = spokenDestination();
  return strong;
}

function spokenDestination() {
  const last = /^\+\d+\*+(\d+)$/.exec(state.masked)?.[1];
  return last ? `your number ending in ${last}` : state.masked.replace(/\*+/g, '•••');
}

function onCodeInput() {
  const digits = ui.code.value.replace(/\D/g, '').slice(0, 10);
  if (digits !== ui.code.value) ui.code.value = digits;
  clearFieldError(ui.code);
  if (digits.length >= codeLength()) submitCode();
}

async function submitCode(event) {
  event?.preventDefault();
  if (state.busy) return;
  const code = ui.code.value;
  if (code.length < 4) return codeProblem(`Enter the ${codeLength()}-digit code from the message.`);
  stopWebOtp();
  ui.notice.hidden = true;
  ui.code.readOnly = true;
  setBusy(ui.verify, true, 'Checking…');
  const res = await checkVerify({ code, verification: state.handle });
  setBusy(ui.verify, false);
  ui.code.readOnly = false;
  ui.code.value = '';
  if (res.ok && res.status === 'approved') return verified(res);

  const error = res.error ?? {};
  if (error.code === 'incorrect_code') state.wrongCodes += 1;
  // The 5th wrong code locks the destination until the code's 10 minutes are over: the server says how long.
  if (error.code === 'max_check_attempts' || (error.code === 'verification_not_found' && state.wrongCodes >= MAX_WRONG_CODES)) {
    return lockedOut(error.retryAfter ?? Math.max(0, CODE_LIFETIME_SECONDS - (Date.now() - state.startedAt) / 1000));
  }
  if (error.code === 'verification_not_found') return expired();
  codeProblem(error.code === 'incorrect_code' ? 'That code isn’t right. Check the latest message and type it again.' : error.message);
}

function codeProblem(message) {
  showFieldError(ui.code, message);
  announce(message);
  ui.code.focus();
}

/** The verification is over (expired, used, locked): the way on is a new code, perhaps after a wait. */
function deadEnd(title, text, waitSeconds) {
  stopWebOtp();
  endDeliveryWatch();
  ui.codeForm.hidden = ui.notice.hidden = ui.resendRow.hidden = true;
  ui.deadEnd.hidden = false;
  ui.deadEndText.replaceChildren(Object.assign(document.createElement('strong'), { textContent: title }), ` ${text}`);
  state.handle = '';
  startCountdown([ui.restart], waitSeconds);
  announce(`${title} ${text}`);
  ui.restart.focus();
}

/** Locked after too many wrong codes: say when a new code can be asked for, as a time and a countdown. */
function lockedOut(waitSeconds) {
  const wait = Math.max(0, Math.ceil(waitSeconds || 0));
  const at = new Date(Date.now() + wait * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  const when = wait > 0 ? `You can ask for a new code in ${duration(wait)} (at ${at}), or use another number.` : 'Send a new code to try again.';
  deadEnd('Too many incorrect codes.', `For your safety this code is blocked. ${when}`, wait);
}

const expired = () => deadEnd('This code has expired.', 'Codes work once, for 10 minutes. Send a new code to continue.', 0);

/** Shows `message` in a notice box (the code step's, or the authenticator's) and announces it. */
function notify(box, message, isError = false) {
  box.textContent = message;
  box.classList.toggle('notice-error', isError);
  box.hidden = false;
  announce(message);
}

const showNotice = (message, isError) => notify(ui.notice, message, isError);

// Countdown on buttons (resend, new code), following the server's retryAfter

/** Holds `buttons` back for `seconds`; the first one shows the time left. */
function startCountdown(buttons, seconds) {
  clearInterval(state.timer);
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    buttons[0].querySelector('.timer').textContent = left > 0 ? ` in ${clock(left)}` : '';
    if (left <= 0) clearInterval(state.timer);
    if (left <= 0 && seconds > 0 && buttons[0].getAttribute('aria-disabled') === 'true') announce('You can ask for a new code now.');
    for (const button of buttons) button.setAttribute('aria-disabled', String(left > 0));
  };
  tick();
  state.timer = setInterval(tick, 250);
}

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
const duration = (s) => (s < 90 ? `${Math.ceil(s)} seconds` : `${Math.ceil(s / 60)} minutes`);
const ready = (button) => !state.busy && button.getAttribute('aria-disabled') !== 'true';

// WebOTP: Chrome on Android can fill the code from the SMS

function listenForWebOtp(channel) {
  stopWebOtp();
  if (channel !== 'sms' || !('OTPCredential' in window)) return;
  state.otp = new AbortController();
  navigator.credentials.get({ otp: { transport: ['sms'] }, signal: state.otp.signal })
    .then((otp) => {
      if (!otp?.code || ui.codeForm.hidden) return;
      ui.code.value = otp.code;
      submitCode();
    })
    .catch(() => {}); // aborted or not allowed: typing works as before
}

function stopWebOtp() {
  state.otp?.abort();
  state.otp = null;
}

// Delivery: when a send did not arrive, offer the next channel at once (delivery.js polls)

const NOT_DELIVERED = {
  sms: 'The SMS could not be delivered.', call: 'The call did not get through.', email: 'The email could not be delivered.',
  whatsapp: 'The WhatsApp message could not be delivered.', rcs: 'The RCS message could not be delivered.',
};
const INSTEAD = { call: 'Get a call instead?', sms: 'Get a text instead?', email: 'Get an email instead?', whatsapp: 'Use WhatsApp instead?', rcs: 'Use RCS instead?' };

function watchThisCode() {
  ui.deliveryOffer.hidden = true;
  watchDelivery(state.handle, state.startedAt + CODE_LIFETIME_SECONDS * 1000, offerNextChannel);
}

function offerNextChannel({ channel, nextChannel }) {
  if (!CHANNELS[nextChannel] || ui.codeForm.hidden) return;
  state.offerChannel = nextChannel;
  const message = `${NOT_DELIVERED[channel] ?? 'Your code could not be delivered.'} ${INSTEAD[nextChannel]}`;
  ui.deliveryText.textContent = message;
  ui.deliverySwitch.querySelector('.label').textContent = CHANNELS[nextChannel].instead;
  ui.deliveryOffer.hidden = false;
  announce(message);
}

function endDeliveryWatch() {
  stopDeliveryWatch();
  ui.deliveryOffer.hidden = true;
}

// Step 3, going back, and small helpers

function verified(res) {
  stopWebOtp();
  endDeliveryWatch();
  clearInterval(state.timer);
  ui.doneDest.replaceChildren(maskedDestination());
  showStep('done');
  $('done-title').focus();
  announce('Verified. You can close this page.');
  // For pages that embed this flow (README): bubbles to window; the proof token, when issued, is for their backend.
  document.dispatchEvent(new CustomEvent('verify:approved', { bubbles: true, detail: { channel: res.channel, ...(res.token && { token: res.token }) } }));
  offerAuthenticator(res);
}

/** Back to step 1 without a reload, keeping what was typed. */
function backToStart(focusTarget) {
  stopWebOtp();
  endDeliveryWatch();
  clearInterval(state.timer);
  clearErrors();
  showStep('start');
  focusTarget.focus();
}

function showStep(name) {
  const index = [...ui.steps].findIndex((step) => step.dataset.step === name);
  ui.steps.forEach((step, i) => (step.hidden = i !== index));
  const at = Number(ui.steps[index].dataset.progress ?? index);
  ui.progress.forEach((dot, i) => (dot.className = i < at ? 'complete' : i === at ? 'current' : ''));
  document.title = { start: 'Verify it’s you', code: 'Enter your code', totp: 'Enter your app’s code', done: 'Verified' }[name];
}

/** Shows `message` under `control` and links it with aria-describedby. */
function showFieldError(control, message) {
  const error = $(control.dataset.error);
  error.textContent = message;
  error.hidden = false;
  if (control !== ui.channels) control.setAttribute('aria-invalid', 'true');
  const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)).add(error.id);
  control.setAttribute('aria-describedby', [...ids].join(' '));
}

function clearFieldError(control) {
  control.removeAttribute('aria-invalid');
  $(control.dataset.error).hidden = true;
}

function clearErrors() {
  [ui.phone, ui.country, ui.email, ui.locale, ui.code, ui.channels].forEach(clearFieldError);
  ui.startError.hidden = true;
}

/** Busy buttons keep focus (aria-disabled, not disabled) and show a spinner. */
function setBusy(button, busy, label) {
  state.busy = busy;
  const text = button.querySelector('.label') ?? button;
  button.setAttribute('aria-disabled', String(busy));
  button.classList.toggle('busy', busy);
  if (busy) {
    button.dataset.idle = text.textContent;
    text.textContent = label;
    announce(label);
  } else {
    text.textContent = button.dataset.idle;
  }
}

/** Empties the live region first, so the same sentence twice is announced twice. */
function announce(message) {
  ui.status.textContent = '';
  setTimeout(() => (ui.status.textContent = message), 50);
}

// Authenticator apps (TOTP): added after a verification, used instead of a sent code on step 1.
// The server never says whether a destination has an app (a wrong code and "none" read the same),
// so this browser remembers which destinations it added one for: SHA-256 digests only.

const TOTP_STORE = 'verify-functions.totp';
const totp = { handle: '', token: '' };

async function digest(destination) {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(destination));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const rememberedApps = () => tryOr(() => JSON.parse(localStorage.getItem(TOTP_STORE))) || [];

/** The destination a proof token names (E.164 or lower-cased email), read from its payload. */
function tokenDestination(token) {
  const payload = tryOr(() => JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))));
  return payload?.phone_number || payload?.email || '';
}

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
  ui.totpInstead.hidden = !typed || !rememberedApps().includes(await digest(typed));
}

async function rememberApp(token) {
  const destination = tokenDestination(token);
  if (!destination) return;
  const key = await digest(destination);
  const apps = rememberedApps().filter((k) => k !== key);
  tryOr(() => localStorage.setItem(TOTP_STORE, JSON.stringify([key, ...apps].slice(0, 20))));
}

function offerAuthenticator(res) {
  totp.token = res.amr === 'otp' ? '' : res.token || '';
  ui.totpAdd.hidden = !totp.token;
  ui.totpPanel.hidden = ui.totpNotice.hidden = true;
}

async function startEnrolment() {
  if (state.busy) return;
  setBusy(ui.totpAdd, true, 'Preparing…');
  const res = await totpEnroll(totp.token);
  setBusy(ui.totpAdd, false);
  if (!res.ok) return totpNotice(res.error.message, true);
  totp.handle = res.handle;
  // An <img> (not inline markup): nothing in the server's SVG can run in the page.
  ui.totpQr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(res.qrSvg)}`;
  ui.totpSecret.textContent = res.secret.replace(/(.{4})/g, '$1 ').trim();
  ui.totpAdd.hidden = true;
  ui.totpPanel.hidden = false;
  ui.totpConfirmCode.value = '';
  ui.totpPanelTitle.focus();
  announce('Scan the QR code, then type the code your app shows.');
}

async function copySecret() {
  const copied = await navigator.clipboard?.writeText(ui.totpSecret.textContent.replace(/\s/g, '')).then(() => true, () => false);
  announce(copied ? 'Key copied.' : 'Select the key and copy it.');
}

async function confirmEnrolment(event) {
  event.preventDefault();
  const code = ui.totpConfirmCode.value.replace(/\D/g, '');
  if (state.busy) return;
  if (code.length < 6) return totpProblem(ui.totpConfirmCode, 'Enter the 6-digit code your app shows.');
  setBusy(ui.totpConfirm, true, 'Checking…');
  const res = await totpConfirm({ handle: totp.handle, code });
  setBusy(ui.totpConfirm, false);
  ui.totpConfirmCode.value = '';
  if (!res.ok) {
    if (res.error.code === 'incorrect_code') return totpProblem(ui.totpConfirmCode, 'That code isn’t right. Type the code your app shows now.');
    ui.totpPanel.hidden = true;
    ui.totpAdd.hidden = false;
    return totpNotice(res.error.message, true);
  }
  await rememberApp(res.token);
  ui.totpPanel.hidden = true;
  totpNotice('Authenticator app added. Next time, choose “Use your authenticator app instead”.');
  $('done-title').focus();
}

const totpNotice = (message, isError) => notify(ui.totpNotice, message, isError);

function totpProblem(input, message) {
  showFieldError(input, message);
  announce(message);
  input.focus();
}

function useAuthenticator() {
  clearErrors();
  clearFieldError(ui.totpCode);
  ui.totpCode.value = '';
  showStep('totp');
  ui.totpCode.focus();
}

async function signInWithApp(event) {
  event?.preventDefault();
  const code = ui.totpCode.value.replace(/\D/g, '');
  const { params } = readStartForm();
  if (state.busy || !params) return;
  if (code.length < 6) return totpProblem(ui.totpCode, 'Enter the 6-digit code your app shows.');
  setBusy(ui.totpVerify, true, 'Checking…');
  const res = await totpCheck({ to: params.to, ...(params.country ? { country: params.country } : {}), code });
  setBusy(ui.totpVerify, false);
  ui.totpCode.value = '';
  if (res.ok) {
    state.masked = res.to || '';
    return verified({ ...res, channel: 'totp', amr: 'otp' });
  }
  const wait = res.error.retryAfter ? ` You can try again in ${duration(res.error.retryAfter)}, or send a code instead.` : '';
  totpProblem(ui.totpCode, res.error.code === 'incorrect_code' ? 'That code isn’t right. Type the code your app shows now.' : `${res.error.message}${wait}`);
}

function wireAuthenticator() {
  Object.assign(ui, {
    totpInstead: $('totp-instead'), totpCode: $('totp-code'), totpVerify: $('totp-verify'), totpAdd: $('totp-add'),
    totpPanel: $('totp-panel'), totpPanelTitle: $('totp-panel-title'), totpQr: $('totp-qr'), totpSecret: $('totp-secret'),
    totpConfirmCode: $('totp-confirm-code'), totpConfirm: $('totp-confirm'), totpNotice: $('totp-notice'),
  });
  for (const input of [ui.phone, ui.email, ui.country, ui.channels]) input.addEventListener(input === ui.channels || input === ui.country ? 'change' : 'input', showAuthenticatorChoice);
  ui.totpInstead.addEventListener('click', useAuthenticator);
  $('totp-form').addEventListener('submit', signInWithApp);
  ui.totpCode.addEventListener('input', () => clearFieldError(ui.totpCode));
  $('totp-back').addEventListener('click', () => backToStart(ui.send));
  ui.totpAdd.addEventListener('click', startEnrolment);
  $('totp-copy').addEventListener('click', copySecret);
  $('totp-confirm-form').addEventListener('submit', confirmEnrolment);
  ui.totpConfirmCode.addEventListener('input', () => clearFieldError(ui.totpConfirmCode));
  showAuthenticatorChoice();
}

// Wiring

fillChoices();
showDestinationField();
ui.startForm.addEventListener('submit', onStart);
ui.channels.addEventListener('change', () => {
  showDestinationField();
  clearErrors();
});
ui.country.addEventListener('change', showCountryFace);
wireAuthenticator();
ui.phone.addEventListener('input', () => clearFieldError(ui.phone));
ui.email.addEventListener('input', () => clearFieldError(ui.email));
ui.codeForm.addEventListener('submit', submitCode);
ui.code.addEventListener('input', onCodeInput);
ui.resend.addEventListener('click', () => resend(ui.resend, state.channel));
ui.switch.addEventListener('click', () => resend(ui.switch, state.nextChannel));
ui.deliverySwitch.addEventListener('click', () => resend(ui.deliverySwitch, state.offerChannel));
ui.restart.addEventListener('click', () => ready(ui.restart) && send(ui.restart, () => startVerify(state.params)));
$('other-channel').addEventListener('click', () => backToStart(ui.channels.querySelector(':checked')));
ui.changeDest.addEventListener('click', () => {
  if (state.handle) cancelVerify({ verification: state.handle }); // the old code stops working
  state.handle = '';
  backToStart(destinationInput());
});
$('again').addEventListener('click', () => {
  ui.phone.value = ui.email.value = '';
  backToStart(destinationInput());
});
