// Step 3: verified. Tells an embedding page, and offers to add an authenticator app.
import { offerAuthenticator } from './add-app.js';
import { maskedDestination } from './masked-destination.js';
import { session } from './session.js';
import { $, announce, showStep } from './ui.js';

/** `res`: the approval (from a sent code, or an app's code with `channel: 'totp'`). */
export function verified(res) {
  $('done-dest').replaceChildren(maskedDestination(session.masked));
  showStep('done');
  $('done-title').focus();
  announce('Verified. You can close this page.');
  // For pages that embed this flow (README): bubbles to window; the proof token, when issued, is for their backend.
  document.dispatchEvent(
    new CustomEvent('verify:approved', {
      bubbles: true,
      detail: { channel: res.channel, ...(res.token && { token: res.token }) },
    }),
  );
  offerAuthenticator(res);
}
