// Step 1: where to send the code (channel, country and number or email address, message
// language), and the ways back to it from the later steps.
import { cancelVerify, startVerify } from './api.js';
import { leaveCodeStep, sentWhere, showCodeStep } from './code-step.js';
import { COUNTRIES, LOCALES } from './data.js';
import { session } from './session.js';
import {
  $,
  announce,
  clearFieldError,
  clearFieldErrors,
  duration,
  isBusy,
  showFieldError,
  showStep,
  tryOr,
  whileBusy,
} from './ui.js';

const form = $('start-form');
const channels = $('channel-group');
const country = $('country');
const phone = $('phone');
const email = $('email');
const locale = $('locale');
const startError = $('start-error');
const send = $('send');

const selectedChannel = () => form.elements.channel.value;
const destinationInput = () => (selectedChannel() === 'email' ? email : phone);

function fillChoices() {
  const regionName = displayNames('en', 'region');
  const countries = COUNTRIES.map(([iso, dial]) => [regionName(iso), iso, dial]).sort((a, b) =>
    a[0].localeCompare(b[0]),
  );
  for (const [name, iso, dial] of countries) {
    const option = new Option(`${name} (+${dial})`, iso);
    option.dataset.dial = dial;
    country.add(option);
  }
  // navigator.language "fr" has no region; maximize() supplies the likely one ("fr-Latn-FR").
  const region = tryOr(() => new Intl.Locale(navigator.language).maximize().region);
  country.value = COUNTRIES.some(([iso]) => iso === region) ? region : 'US';
  showCountryFace();

  for (const code of LOCALES) {
    const name = displayNames(code, 'language')(code);
    locale.add(Object.assign(new Option(name.charAt(0).toLocaleUpperCase(code) + name.slice(1), code), { lang: code }));
  }
  const wanted = navigator.language || 'en';
  locale.value = [wanted, wanted.split('-')[0], 'en'].find((l) => LOCALES.includes(l));
}

function displayNames(locale, type) {
  const names = tryOr(() => new Intl.DisplayNames([locale], { type }));
  return (code) => tryOr(() => names.of(code)) || code;
}

function showCountryFace() {
  const option = country.selectedOptions[0];
  $('country-face').textContent = `${option.value} +${option.dataset.dial}`;
}

function showDestinationField() {
  $('phone-field').hidden = selectedChannel() === 'email';
  $('email-field').hidden = selectedChannel() !== 'email';
}

/**
 * The start request, or what is obviously missing or mistyped. The server has the last word
 * (e.g. `invalid_email`, `invalid_phone_number`): its answer shows on the same field.
 */
export function readStartForm() {
  const channel = selectedChannel();
  const problem = (message) => ({ error: { field: 'to', message } });
  if (channel === 'email') {
    const to = email.value.trim();
    if (!to) return problem('Enter your email address.');
    // The input's own type=email check catches the obvious ("name@"); the server decides the rest.
    if (!email.checkValidity()) return { error: { field: 'to', code: 'invalid_email' } };
    return { params: { to, channel, locale: locale.value } };
  }
  const typed = phone.value.trim();
  const digits = typed.replace(/\D/g, '');
  if (!typed) return problem('Enter your phone number.');
  if (!/^\+?[\d\s().-]+$/.test(typed)) return problem('Use digits only, with an optional + in front.');
  // A leading + carries its country code; a national number goes with the country chosen.
  if (typed.startsWith('+')) {
    if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) {
      return problem('Enter the full number with its country code, like +44 7400 123456.');
    }
    return { params: { to: `+${digits}`, channel, locale: locale.value } };
  }
  if (digits.length < 5 || digits.length > 14)
    return problem(`That number looks too ${digits.length < 5 ? 'short' : 'long'}. Check it and try again.`);
  return { params: { to: digits, country: country.value, channel, locale: locale.value } };
}

async function onStart(event) {
  event.preventDefault();
  if (isBusy()) return;
  clearStartErrors();
  const { params, error } = readStartForm();
  if (error) return showStartError(error);
  session.params = params;
  const res = await whileBusy(send, 'Sending…', () => startVerify(params));
  if (!res.ok) return showStartError(res.error);
  showCodeStep(res);
  announce(`Code sent to ${sentWhere()}. Enter it below.`);
}

/** The control an error belongs to: by its `field`, else by its code; null for form-wide errors. */
function controlFor({ field, code }) {
  const byField = { to: destinationInput(), country, channel: channels, locale };
  if (byField[field]) return byField[field];
  if (/^(invalid_phone_number|invalid_email|destination_blocked|landline_not_supported)$/.test(code))
    return destinationInput();
  if (/^(unsupported_channel|channel_disabled)$/.test(code)) return channels;
  return null;
}

/** The page's own words for some of the server's answers (its messages are written for developers). */
const SAID = {
  // Too many wrong codes block the destination for a while; the server says how long.
  max_check_attempts:
    'Too many incorrect codes were entered for this destination. Wait a few minutes, or use another one.',
  invalid_email: 'Enter an email address like name@example.com.',
};

function showStartError(error) {
  const control = controlFor(error);
  const said = SAID[error.code] ?? error.message;
  const message = error.retryAfter ? `${said} You can try again in ${duration(error.retryAfter)}.` : said;
  if (control) {
    showFieldError(control, message);
    (control === channels ? control.querySelector(':checked') : control).focus();
  } else {
    startError.textContent = message;
    startError.hidden = false;
  }
  announce(message);
}

function clearStartErrors() {
  clearFieldErrors();
  startError.hidden = true;
}

/** Back to step 1 without a reload, keeping what was typed. */
export function backToStart(focusTarget) {
  leaveCodeStep();
  clearStartErrors();
  showStep('start');
  focusTarget.focus();
}

export function wireStartStep() {
  fillChoices();
  showDestinationField();
  form.addEventListener('submit', onStart);
  channels.addEventListener('change', () => {
    showDestinationField();
    clearStartErrors();
  });
  country.addEventListener('change', showCountryFace);
  phone.addEventListener('input', () => clearFieldError(phone));
  email.addEventListener('input', () => clearFieldError(email));

  // The ways back: from the code step, and from the done step for another verification.
  $('other-channel').addEventListener('click', () => backToStart(channels.querySelector(':checked')));
  $('change-dest').addEventListener('click', () => {
    if (session.handle) cancelVerify({ verification: session.handle }); // the old code stops working
    session.handle = '';
    backToStart(destinationInput());
  });
  $('again').addEventListener('click', () => {
    phone.value = email.value = '';
    backToStart(destinationInput());
  });
}
