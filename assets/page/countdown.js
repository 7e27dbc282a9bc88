// Holding buttons back (resend, "call me instead", a new code) for as long as the server said.
import { announce, isBusy } from './ui.js';

let timer = 0;

const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** Holds `buttons` back for `seconds` (the server's retryAfter); the first one shows the time left. */
export function startCountdown(buttons, seconds) {
  clearInterval(timer);
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    buttons[0].querySelector('.timer').textContent = left > 0 ? ` in ${clock(left)}` : '';
    if (left <= 0) clearInterval(timer);
    if (left <= 0 && seconds > 0 && buttons[0].getAttribute('aria-disabled') === 'true')
      announce('You can ask for a new code now.');
    for (const button of buttons) button.setAttribute('aria-disabled', String(left > 0));
  };
  tick();
  timer = setInterval(tick, 250);
}

export const stopCountdown = () => clearInterval(timer);

/** Whether `button` may act now: no request is running and its countdown is over. */
export const isReady = (button) => !isBusy() && button.getAttribute('aria-disabled') !== 'true';
