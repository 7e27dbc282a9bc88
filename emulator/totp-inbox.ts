import { toTwilioDate } from './clock';
import type { EmulatorState } from './context';
import { currentCode } from './totp-lifecycle';

/** A TOTP factor as the inbox and `GET /emulator/v1/factors` show it: what the person's authenticator app would display now. */
export interface EmulatorTotpFactor {
  sid: string;
  serviceSid: string;
  identity: string;
  friendlyName: string;
  status: 'unverified' | 'verified';
  /** The code of the current time step (emulator clock). */
  code: string;
  /** Seconds until the next code. */
  secondsLeft: number;
  timeStep: number;
  codeLength: number;
  alg: string;
  dateCreated: string;
}

/** Every factor with its current code, newest first. */
export function listTotpFactors(state: EmulatorState): EmulatorTotpFactor[] {
  const now = state.clock.now();
  return [...state.store.totp.factors.values()].reverse().map((factor) => ({
    sid: factor.sid,
    serviceSid: factor.serviceSid,
    identity: factor.identity,
    friendlyName: factor.friendlyName,
    status: factor.status,
    ...currentCode(factor, now),
    timeStep: factor.config.timeStep,
    codeLength: factor.config.codeLength,
    alg: factor.config.alg,
    dateCreated: toTwilioDate(factor.dateCreated),
  }));
}

/**
 * The inbox's authenticator section: self-contained markup and script, polling
 * GET /emulator/v1/factors every second and rendering with textContent only. It stays hidden
 * until a factor exists.
 */
export const TOTP_INBOX_SECTION_HTML = `
  <section id="authenticator" aria-labelledby="heading-authenticator" style="margin-top: 1.25rem" hidden>
    <h2 id="heading-authenticator"><span>Authenticator app (TOTP)</span><span class="count" id="authenticator-count"></span></h2>
    <p class="note">The code of each factor now, by the emulator's clock. A real authenticator app shows wall-clock codes: the emulator accepts those too, however far its clock was moved.</p>
    <ol id="authenticator-factors"></ol>
  </section>`;

export const TOTP_INBOX_SECTION_SCRIPT = `<script>
(function () {
  'use strict';
  var section = document.getElementById('authenticator');
  var list = document.getElementById('authenticator-factors');
  var count = document.getElementById('authenticator-count');
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function render(factors) {
    section.hidden = factors.length === 0;
    count.textContent = factors.length + (factors.length === 1 ? ' factor' : ' factors');
    list.textContent = '';
    factors.forEach(function (factor) {
      var item = el('li');
      var meta = el('div', 'meta');
      meta.appendChild(el('span', '', factor.friendlyName + ' · ' + factor.status));
      meta.appendChild(el('span', '', 'Identity ' + factor.identity.slice(0, 12) + '…'));
      item.appendChild(meta);
      var row = el('div', 'code-row');
      row.appendChild(el('span', 'visually-hidden', 'Current code'));
      row.appendChild(el('span', 'code', factor.code));
      row.appendChild(el('span', 'note', factor.secondsLeft + ' s left'));
      item.appendChild(row);
      list.appendChild(item);
    });
  }
  function poll() {
    fetch('/emulator/v1/factors', { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (data) { render(data.factors || []); })
      .catch(function () { /* the messages poll reports an unreachable emulator */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>`;
