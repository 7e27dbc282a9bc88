// The verification page: three steps (start → code → done) driven by /start-verify and /check-verify.
// The code the person types is only ever sent in the check request body: never logged or stored.
import { checkVerify, startVerify } from './api.js';
import { CHANNELS, COUNTRIES, LOCALES } from './data.js';

const DEFAULT_RESEND_SECONDS = 30;
const DEFAULT_CODE_LENGTH = 6;
const MIN_CODE_LENGTH = 4;
const MAX_CODE_LENGTH = 10;

const $ = (id) => document.getElementById(id);
const ui = {
  steps: document.querySelectorAll('.step'),
  progress: document.querySelectorAll('.progress li'),
  startForm: $('start-form'), channels: $('channel-group'), phoneField: $('phone-field'),
  emailField: $('email-field'), country: $('country'), countryFace: $('country-face'),
  phone: $('phone'), email: $('email'), locale: $('locale'), startError: $('start-error'), send: $('send'),
  sentTo: $('sent-to'), codeForm: $('code-form'), code: $('code'), codeLabel: $('code-label'),
  verify: $('verify'), deadEnd: $('code-dead-end'), deadEndTitle: $('dead-end-title'),
  deadEndText: $('dead-end-text'), restart: $('restart'), codeNotice: $('code-notice'),
  resend: $('resend'), resendLabel: $('resend-label'), resendTimer: $('resend-timer'),
  otherChannel: $('other-channel'), changeDest: $('change-dest'), doneDest: $('done-dest'),
  again: $('again'), status: $('status'),
};

/** What the current verification was started with, and where it stands. */
const state = { params: null, sid: '', masked: '', busy: false, resendAt: 0, timer: 0, otp: null };

// ---------- Step 1: where to send the code ----------

function fillChoices() {
  const lang = document.documentElement.lang || 'en';
  const regionName = displayNames(lang, 'region');
  const countries = COUNTRIES.map(([iso, dial]) => ({ iso, dial, name: regionName(iso) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
  for (const c of countries) {
    const option = new Option(`${c.name} (+${c.dial})`, c.iso);
    option.dataset.dial = c.dial;
    ui.country.add(option);
  }
  ui.country.value = COUNTRIES.some(([iso]) => iso === browserRegion()) ? browserRegion() : 'US';

  for (const code of LOCALES) {
    const option = new Option(capitalize(displayNames(code, 'language')(code)), code);
    option.lang = code;
    ui.locale.add(option);
  }
  const wanted = navigator.language || 'en';
  ui.locale.value = [wanted, wanted.split('-')[0], 'en'].find((l) => LOCALES.includes(l));
  showCountryFace();
}

function displayNames(locale, type) {
  try {
    const names = new Intl.DisplayNames([locale], { type });
    return (code) => names.of(code) || code;
  } catch {
    return (code) => code;
  }
}

function browserRegion() {
  try {
    return new Intl.Locale(navigator.language).maximize().region;
  } catch {
    return undefined;
  }
}

const capitalize = (text) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

function showCountryFace() {
  const option = ui.country.selectedOptions[0];
  ui.countryFace.textContent = option ? `${option.value} +${option.dataset.dial}` : '';
}

const selectedChannel = () => ui.startForm.elements.namedItem('channel').value;

function showDestinationField() {
  const email = selectedChannel() === 'email';
  ui.phoneField.hidden = email;
  ui.emailField.hidden = !email;
}

/** Mirrors the server's checks so obvious slips are caught without a round trip. */
function readStartForm() {
  const channel = selectedChannel();
  const locale = ui.locale.value;
  if (channel === 'email') {
    const to = ui.email.value.trim();
    if (!to) return { error: { field: 'to', message: 'Enter your email address.' } };
    if (to.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(to)) {
      return { error: { field: 'to', message: 'Enter an email address like name@example.com.' } };
    }
    return { params: { to, channel, locale } };
  }
  const typed = ui.phone.value.trim();
  if (!typed) return { error: { field: 'to', message: 'Enter your phone number.' } };
  if (!/^\+?[\d\s().\-]+$/.test(typed)) {
    return { error: { field: 'to', message: 'Use digits only, with an optional + in front.' } };
  }
  const digits = typed.replace(/\D/g, '');
  if (typed.startsWith('+')) {
    if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) {
      return { error: { field: 'to', message: 'Enter the full number with its country code, like +44 7400 123456.' } };
    }
    return { params: { to: `+${digits}`, channel, locale } };
  }
  if (digits.length < 5 || digits.length > 14) {
    return { error: { field: 'to', message: `That number looks too ${digits.length < 5 ? 'short' : 'long'}. Check it and try again.` } };
  }
  return { params: { to: digits, country: ui.country.value, channel, locale } };
}

async function onStart(event) {
  event.preventDefault();
  if (state.busy) return;
  clearErrors();
  const { params, error } = readStartForm();
  if (error) {
    showStartError(error);
    return;
  }
  await send(params, 'start');
}

/** Error `field` → the control it belongs to. Codes without a field go next to the best match. */
function controlFor(field, code) {
  const to = selectedChannel() === 'email' ? ui.email : ui.phone;
  const byField = { to, country: ui.country, channel: ui.channels, locale: ui.locale };
  if (byField[field]) return byField[field];
  if (/^(invalid_phone_number|invalid_email|destination_blocked|landline_not_supported)$/.test(code)) return to;
  if (/^(unsupported_channel|channel_disabled)$/.test(code)) return ui.channels;
  return null;
}

function showStartError({ field, code, message, retryAfter }) {
  const control = controlFor(field, code);
  const text = retryAfter ? `${message} You can try again in ${duration(retryAfter)}.` : message;
  if (control) {
    showFieldError(control, text);
    (control === ui.channels ? control.querySelector('input:checked') : control).focus();
  } else {
    ui.startError.textContent = text;
    ui.startError.hidden = false;
  }
  announce(text);
}

// ---------- Sending (first send, resend, new code) ----------

/** `how`: 'start' (step 1), 'resend' (same verification), 'restart' (after expiry or lock-out). */
async function send(params, how) {
  const button = { start: ui.send, resend: ui.resend, restart: ui.restart }[how];
  setBusy(button, true, how === 'start' ? 'Sending…' : 'Sending a new code…');
  const res = await startVerify(params);
  setBusy(button, false);
  if (!res.ok) {
    if (how === 'start') showStartError(res.error);
    else showCodeNotice(res.error.message, true);
    if (res.error.retryAfter && how !== 'start') startCountdown(res.error.retryAfter);
    return;
  }
  const sameVerification = res.sid === state.sid;
  state.params = { ...params, channel: res.channel || params.channel };
  state.sid = res.sid;
  state.masked = res.to || '';
  state.nextChannel = res.nextChannel;
  enterCodeStep();
  startCountdown(res.retryAfter ?? DEFAULT_RESEND_SECONDS);
  const where = `${plainDestination()} ${CHANNELS[state.params.channel]?.sent ?? ''}`.trim();
  if (how === 'start') {
    announce(`Code sent to ${where}. Enter it below.`);
  } else {
    const message = sameVerification
      ? `We sent your code again to ${where}. It’s the same code as before.`
      : `We sent a new code to ${where}. Earlier codes no longer work.`;
    showCodeNotice(message, false);
    announce(message);
  }
}

// ---------- Step 2: the code ----------

function codeLength() {
  return ui.code.maxLength > 0 ? Math.min(Math.max(ui.code.maxLength, MIN_CODE_LENGTH), MAX_CODE_LENGTH) : DEFAULT_CODE_LENGTH;
}

function enterCodeStep() {
  const channel = state.params.channel;
  renderSentTo(channel);
  ui.code.value = '';
  ui.code.placeholder = '•'.repeat(codeLength());
  ui.codeLabel.textContent = `${codeLength()}-digit code`;
  ui.changeDest.textContent = channel === 'email' ? 'Change email' : 'Change number';
  ui.codeForm.hidden = false;
  ui.deadEnd.hidden = true;
  ui.codeNotice.hidden = true;
  ui.resend.parentElement.hidden = false;
  clearErrors();
  showStep('code');
  ui.code.focus();
  listenForWebOtp(channel);
}

function renderSentTo(channel) {
  const dest = maskedDestination();
  const parts = {
    call: ['We’re calling ', ' with your code.'],
    email: ['We emailed a code to ', '.'],
  }[channel] ?? ['We sent a code to ', ` ${CHANNELS[channel]?.sent ?? ''}.`.replace(' .', '.')];
  ui.sentTo.replaceChildren(parts[0], dest, parts[1]);
}

/** "+1******2671" → "+1 ••• ••• 2671", plus words for screen readers instead of the bullets. */
function maskedDestination() {
  const strong = document.createElement('strong');
  const phone = /^(\+\d{1,3})(\*+)(\d{2,4})$/.exec(state.masked);
  if (!phone) {
    strong.textContent = state.masked.replace(/\*+/g, '•••') || 'you';
    return strong;
  }
  const groups = phone[2].replace(/\*/g, '•').match(/.{1,3}/g) ?? [];
  const seen = document.createElement('span');
  seen.setAttribute('aria-hidden', 'true');
  seen.className = 'nowrap';
  seen.textContent = [phone[1], ...groups, phone[3]].join(' ');
  const heard = document.createElement('span');
  heard.className = 'visually-hidden';
  heard.textContent = `your number ending in ${phone[3]}`;
  strong.append(seen, heard);
  return strong;
}

function plainDestination() {
  const phone = /^\+\d{1,3}\*+(\d{2,4})$/.exec(state.masked);
  return phone ? `your number ending in ${phone[1]}` : state.masked.replace(/\*+/g, '•••') || 'you';
}

function onCodeInput() {
  const digits = ui.code.value.replace(/\D/g, '').slice(0, MAX_CODE_LENGTH);
  if (digits !== ui.code.value) ui.code.value = digits;
  if (ui.code.getAttribute('aria-invalid')) clearFieldError(ui.code);
  if (digits.length >= codeLength()) submitCode();
}

async function submitCode(event) {
  event?.preventDefault();
  if (state.busy) return;
  const code = ui.code.value.replace(/\D/g, '');
  if (code.length < MIN_CODE_LENGTH || code.length > MAX_CODE_LENGTH) {
    const message = code ? `The code has ${codeLength()} digits. Check the message and try again.` : 'Enter the code from the message.';
    showFieldError(ui.code, message);
    announce(message);
    ui.code.focus();
    return;
  }
  stopWebOtp();
  ui.codeNotice.hidden = true;
  setBusy(ui.verify, true, 'Checking…');
  ui.code.readOnly = true;
  const res = await checkVerify({ code, verificationSid: state.sid });
  ui.code.readOnly = false;
  setBusy(ui.verify, false);

  if (res.ok && res.status === 'approved') return verified(res);
  const error = res.error ?? { code: 'unknown', message: 'That didn’t work. Please try again.' };
  if (error.code === 'verification_not_found') {
    return deadEnd('This code has expired.', 'Codes work for 10 minutes, once. Send a new code to continue.');
  }
  if (error.code === 'max_check_attempts') {
    return deadEnd('Too many incorrect codes.', 'For your safety this code is now blocked. Send a new code to try again.');
  }
  const message = error.code === 'incorrect_code'
    ? 'That code isn’t right. Check the latest message and type it again.'
    : error.message;
  ui.code.value = '';
  showFieldError(ui.code, message);
  announce(message);
  ui.code.focus();
}

/** The verification is over (expired, used, locked): the only way on is a new code. */
function deadEnd(title, text) {
  stopWebOtp();
  clearInterval(state.timer);
  ui.code.value = '';
  ui.codeForm.hidden = true;
  ui.codeNotice.hidden = true;
  ui.resend.parentElement.hidden = true;
  ui.deadEndTitle.textContent = title;
  ui.deadEndText.textContent = text;
  ui.deadEnd.hidden = false;
  state.sid = '';
  announce(`${title} ${text}`);
  ui.restart.focus();
}

function showCodeNotice(message, isError) {
  ui.codeNotice.textContent = message;
  ui.codeNotice.classList.toggle('notice-error', isError);
  ui.codeNotice.hidden = false;
  if (isError) announce(message);
}

// ---------- Resend countdown, following the server's retryAfter ----------

function startCountdown(seconds) {
  clearInterval(state.timer);
  state.resendAt = Date.now() + Math.max(0, Number(seconds) || 0) * 1000;
  const next = state.nextChannel && state.nextChannel !== state.params.channel && CHANNELS[state.nextChannel]
    && (state.nextChannel === 'email') === (state.params.channel === 'email');
  ui.resendLabel.textContent = next ? `Send ${CHANNELS[state.nextChannel].sent} instead` : 'Resend code';
  tick();
  state.timer = setInterval(tick, 250);
}

function tick() {
  const left = Math.ceil((state.resendAt - Date.now()) / 1000);
  if (left > 0) {
    ui.resend.setAttribute('aria-disabled', 'true');
    ui.resendTimer.textContent = ` in ${clock(left)}`;
    return;
  }
  clearInterval(state.timer);
  ui.resendTimer.textContent = '';
  if (ui.resend.getAttribute('aria-disabled') === 'true' && !ui.resend.parentElement.hidden) {
    ui.resend.setAttribute('aria-disabled', 'false');
    announce('You can ask for a new code now.');
  }
}

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
const duration = (s) => (s < 90 ? `${Math.ceil(s)} seconds` : `${Math.ceil(s / 60)} minutes`);

function onResend() {
  if (state.busy || ui.resend.getAttribute('aria-disabled') === 'true') return;
  const params = { ...state.params };
  if (ui.resendLabel.textContent !== 'Resend code') params.channel = state.nextChannel;
  send(params, 'resend');
}

// ---------- WebOTP: fill the code from the SMS where the browser supports it ----------

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
    .catch(() => { /* aborted or unavailable: typing works as before */ });
}

function stopWebOtp() {
  state.otp?.abort();
  state.otp = null;
}

// ---------- Step 3 and navigation ----------

function verified(res) {
  stopWebOtp();
  clearInterval(state.timer);
  ui.code.value = '';
  ui.doneDest.replaceChildren(...maskedDestination().childNodes);
  showStep('done');
  $('done-title').focus();
  announce('Verified. You can close this page.');
  document.dispatchEvent(new CustomEvent('verify:approved', { detail: { sid: res.sid, channel: res.channel } }));
}

/** Back to step 1 without a reload, keeping what was typed. `focusOn` is the control to land on. */
function backToStart(focusOn) {
  stopWebOtp();
  clearInterval(state.timer);
  ui.code.value = '';
  clearErrors();
  showStep('start');
  focusOn().focus();
  if (focusOn() instanceof HTMLInputElement && focusOn().type !== 'radio') focusOn().select();
}

function showStep(name) {
  let index = 0;
  ui.steps.forEach((step, i) => {
    step.hidden = step.dataset.step !== name;
    if (!step.hidden) index = i;
  });
  ui.progress.forEach((dot, i) => {
    dot.className = i < index ? 'complete' : i === index ? 'current' : '';
  });
  document.title = { start: 'Verify it’s you', code: 'Enter your code', done: 'Verified' }[name];
}

// ---------- Small helpers: errors, busy buttons, announcements ----------

function showFieldError(control, message) {
  const error = $(control.dataset.error || `${control.id.replace('-group', '')}-error`);
  error.textContent = message;
  error.hidden = false;
  if (control !== ui.channels) control.setAttribute('aria-invalid', 'true');
  const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
  ids.add(error.id);
  control.setAttribute('aria-describedby', [...ids].join(' '));
}

function clearFieldError(control) {
  control.removeAttribute('aria-invalid');
  const error = $(control.dataset.error || '');
  if (error) error.hidden = true;
}

function clearErrors() {
  for (const control of [ui.phone, ui.country, ui.email, ui.locale, ui.code]) clearFieldError(control);
  for (const error of document.querySelectorAll('.field-error')) error.hidden = true;
  ui.startError.hidden = true;
}

/** Busy buttons stay focusable (aria-disabled, not disabled) so keyboard focus is never lost. */
function setBusy(button, busy, label) {
  state.busy = busy;
  const text = button.querySelector('.label') ?? button;
  button.setAttribute('aria-disabled', String(busy));
  button.classList.toggle('busy', busy);
  if (busy) {
    button.dataset.idle = text.textContent;
    text.textContent = label;
    announce(label);
  } else if (button.dataset.idle) {
    text.textContent = button.dataset.idle;
    delete button.dataset.idle;
  }
}

/** Re-set the live region so the same sentence twice is still announced twice. */
function announce(message) {
  ui.status.textContent = '';
  setTimeout(() => { ui.status.textContent = message; }, 50);
}

// ---------- Wiring ----------

fillChoices();
showDestinationField();
ui.startForm.addEventListener('submit', onStart);
ui.startForm.addEventListener('change', (event) => {
  if (event.target.name === 'channel') {
    showDestinationField();
    clearErrors();
  }
});
ui.country.addEventListener('change', showCountryFace);
ui.phone.addEventListener('input', () => clearFieldError(ui.phone));
ui.email.addEventListener('input', () => clearFieldError(ui.email));
ui.codeForm.addEventListener('submit', submitCode);
ui.code.addEventListener('input', onCodeInput);
ui.resend.addEventListener('click', onResend);
ui.restart.addEventListener('click', () => send(state.params, 'restart'));
ui.otherChannel.addEventListener('click', () => backToStart(() => ui.startForm.querySelector('input[name=channel]:checked')));
ui.changeDest.addEventListener('click', () => backToStart(() => (selectedChannel() === 'email' ? ui.email : ui.phone)));
ui.again.addEventListener('click', () => {
  state.sid = '';
  ui.phone.value = '';
  ui.email.value = '';
  backToStart(() => (selectedChannel() === 'email' ? ui.email : ui.phone));
});
