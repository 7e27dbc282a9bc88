/** Verify's limit for a Factor's FriendlyName, which authenticator apps show as the account name. */
const FRIENDLY_NAME_MAX = 64;

/**
 * The account name an authenticator app shows for a factor: the operator's label
 * (TOTP_ISSUER) and the masked destination, never the full one. The label is shortened so the
 * masked destination always fits.
 * @example totpFriendlyName('Acme', '+1******0199') // 'Acme +1******0199'
 */
export function totpFriendlyName(issuer: string | undefined, maskedDestination: string): string {
  const label = (issuer ?? '').trim();
  if (label === '') return maskedDestination.slice(0, FRIENDLY_NAME_MAX);
  const room = FRIENDLY_NAME_MAX - maskedDestination.length - 1;
  return room > 0
    ? `${label.slice(0, room).trim()} ${maskedDestination}`
    : maskedDestination.slice(0, FRIENDLY_NAME_MAX);
}
