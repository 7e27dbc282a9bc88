// Recovery codes, shown once (with the first authenticator app or passkey): a list to copy or
// download. The server keeps only keyed hashes, so this is the only time they can be seen.
import { $, announce } from './ui.js';

const panel = $('recovery');
const list = $('recovery-codes');
const download = $('recovery-download');

export function showRecoveryCodes(codes) {
  if (!codes?.length) return;
  list.replaceChildren(...codes.map((code) => Object.assign(document.createElement('li'), { textContent: code })));
  const text = `Recovery codes for ${location.host}. Each works once.\n\n${codes.join('\n')}\n`;
  download.href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  panel.hidden = false;
  $('recovery-title').focus();
}

async function copyCodes() {
  const codes = [...list.children].map((item) => item.textContent).join('\n');
  const copied = await navigator.clipboard?.writeText(codes).then(
    () => true,
    () => false,
  );
  announce(copied ? 'Recovery codes copied.' : 'Select the codes and copy them.');
}

export const wireRecoveryCodes = () => $('recovery-copy').addEventListener('click', copyCodes);
