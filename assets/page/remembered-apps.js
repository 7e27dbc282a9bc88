// Which destinations this browser added an authenticator app (`totp`) or a passkey for. The
// server never says whether a destination has one (a wrong code and "none" read the same), so
// the page keeps SHA-256 digests of them in localStorage: never the number or address itself.
import { tryOr } from './ui.js';

const store = (kind) => `verify-functions.${kind}`;

export async function digest(destination) {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(destination));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const rememberedApps = (kind = 'totp') => tryOr(() => JSON.parse(localStorage.getItem(store(kind)))) || [];

/** The destination a proof token names (E.164 or lower-cased email), read from its payload. */
function tokenDestination(token) {
  const payload = tryOr(() => JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))));
  return payload?.phone_number || payload?.email || '';
}

/** Remembers the destination `token` names, newest first, at most 20. */
export async function rememberApp(token, kind = 'totp') {
  const destination = tokenDestination(token);
  if (!destination) return;
  const key = await digest(destination);
  const apps = rememberedApps(kind).filter((k) => k !== key);
  tryOr(() => localStorage.setItem(store(kind), JSON.stringify([key, ...apps].slice(0, 20))));
}
