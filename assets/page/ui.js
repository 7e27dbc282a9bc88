// What every step shares: the live region, notice boxes, busy buttons, field errors, and
// which step shows.

export const $ = (id) => document.getElementById(id);

export function tryOr(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const status = $('status');

/** Empties the live region first, so the same sentence twice is announced twice. */
export function announce(message) {
  status.textContent = '';
  setTimeout(() => (status.textContent = message), 50);
}

/** Shows `message` in a notice box (the code step's, or the authenticator's) and announces it. */
export function notify(box, message, isError = false) {
  box.textContent = message;
  box.classList.toggle('notice-error', isError);
  box.hidden = false;
  announce(message);
}

/** "45 seconds", "9 minutes": a wait the server gave, in words. */
export const duration = (s) => (s < 90 ? `${Math.ceil(s)} seconds` : `${Math.ceil(s / 60)} minutes`);

// Busy: one request at a time on the whole page.

let busy = false;
export const isBusy = () => busy;

/**
 * Runs `request` with `button` busy: it keeps focus (aria-disabled, not disabled), shows
 * `label` and a spinner, then gets its own label back.
 */
export async function whileBusy(button, label, request) {
  const text = button.querySelector('.label') ?? button;
  const idle = text.textContent;
  const mark = (on) => {
    busy = on;
    button.setAttribute('aria-disabled', String(on));
    button.classList.toggle('busy', on);
    text.textContent = on ? label : idle;
  };
  mark(true);
  announce(label);
  try {
    return await request();
  } finally {
    mark(false);
  }
}

// Field errors: each control names its error element in data-error.

/** Shows `message` under `control` and links it with aria-describedby. */
export function showFieldError(control, message) {
  const error = $(control.dataset.error);
  error.textContent = message;
  error.hidden = false;
  if (control.tagName !== 'FIELDSET') control.setAttribute('aria-invalid', 'true');
  const ids = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)).add(error.id);
  control.setAttribute('aria-describedby', [...ids].join(' '));
}

/** A field error the person fixes in place: shown, announced, and the field focused. */
export function fieldProblem(input, message) {
  showFieldError(input, message);
  announce(message);
  input.focus();
}

export function clearFieldError(control) {
  control.removeAttribute('aria-invalid');
  $(control.dataset.error).hidden = true;
}

export const clearFieldErrors = () => document.querySelectorAll('[data-error]').forEach(clearFieldError);

// Steps

const steps = document.querySelectorAll('.step');
const dots = document.querySelectorAll('.progress li');
const TITLES = { start: 'Verify it’s you', code: 'Enter your code', totp: 'Enter your app’s code', done: 'Verified' };

export function showStep(name) {
  const index = [...steps].findIndex((step) => step.dataset.step === name);
  for (const [i, step] of [...steps].entries()) step.hidden = i !== index;
  const at = Number(steps[index].dataset.progress ?? index);
  for (const [i, dot] of [...dots].entries()) dot.className = i < at ? 'complete' : i === at ? 'current' : '';
  document.title = TITLES[name];
}
