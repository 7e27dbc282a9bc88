// Delivery watch: polls /verification-status while a code is on its way, so the page can say
// at once when it did not arrive and offer the next channel. Polite: the wait grows after each
// poll, nothing is asked while the tab is hidden, and it stops when the code expires (the
// server's `expiresIn`) or once the send's fate is known.
import { verificationStatus } from './api.js';

const FIRST_WAIT_MS = 1500;
const MAX_WAIT_MS = 20000;
const GROWTH = 1.6;
/** Nothing more will happen to a send in these states. */
const FINAL = new Set(['delivered', 'completed', 'undelivered', 'failed', 'no-answer', 'busy']);
const NOT_RECEIVED = new Set(['undelivered', 'failed', 'no-answer', 'busy']);

let watch = null;

/**
 * Watches `handle` until `until` (ms since epoch). `onNotReceived({ channel, nextChannel })`
 * runs once when the latest send did not arrive and Verify may send on `nextChannel` at once.
 */
export function watchDelivery(handle, until, onNotReceived) {
  stopDeliveryWatch();
  const current = { handle, until, onNotReceived, wait: FIRST_WAIT_MS, timer: 0, busy: false };
  watch = current;
  document.addEventListener('visibilitychange', onVisibility);
  schedule(current, current.wait);
}

export function stopDeliveryWatch() {
  if (!watch) return;
  clearTimeout(watch.timer);
  watch = null;
  document.removeEventListener('visibilitychange', onVisibility);
}

function schedule(current, ms) {
  clearTimeout(current.timer);
  if (Date.now() + ms > current.until) return stopDeliveryWatch();
  // A hidden tab is not polled; onVisibility picks it up again.
  current.timer = setTimeout(() => document.hidden || poll(current), ms);
}

function onVisibility() {
  if (watch && !document.hidden && !watch.busy) schedule(watch, 0);
}

async function poll(current) {
  current.busy = true;
  const res = await verificationStatus({ verification: current.handle });
  current.busy = false;
  if (watch !== current) return; // stopped or replaced meanwhile
  if (!res.ok) {
    // Asked too often: wait as told. Gone, locked or a bad handle: the code step says why when used.
    const code = res.error.code;
    if (code === 'rate_limited') return schedule(current, Math.max(res.error.retryAfter ?? 0, 1) * 1000);
    if (
      code === 'network_error' ||
      code === 'bad_response' ||
      code === 'verify_unavailable' ||
      code === 'verify_timeout'
    )
      return grow(current);
    return stopDeliveryWatch();
  }
  if (NOT_RECEIVED.has(res.delivery) && res.nextChannel && res.nextChannelRetryAfter === 0) {
    stopDeliveryWatch();
    return current.onNotReceived({
      channel: res.attempts?.[res.attempts.length - 1]?.channel,
      nextChannel: res.nextChannel,
    });
  }
  if (FINAL.has(res.delivery)) return stopDeliveryWatch();
  grow(current);
}

function grow(current) {
  current.wait = Math.min(current.wait * GROWTH, MAX_WAIT_MS);
  schedule(current, current.wait);
}
