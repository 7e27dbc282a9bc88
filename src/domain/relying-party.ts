import type { Config } from '../config';
import { AppError } from './app-error';

/** Who passkeys belong to (WebAuthn's relying party): what Verify's Passkeys Factors and the Service's `passkeys` carry. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** A domain name: WebAuthn refuses IP addresses as RP ids, and a scheme or port is never part of one. */
const RP_ID = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?:\.(?!-)[a-z0-9-]{1,63})*$/;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i;

/**
 * The relying party from the settings: PASSKEY_RP_ID (default DOMAIN_NAME's host), PASSKEY_RP_NAME
 * (default TOTP_ISSUER), and the origins https://DOMAIN_NAME plus PASSKEY_ORIGINS. Served
 * locally (DOMAIN_NAME on loopback), the id is `localhost` and the origin is the one the
 * request was sent to on `localhost` (`host`: the Host header, a local proxy's port): the page
 * must be opened at http://localhost:PORT, since a browser refuses passkeys on an IP address.
 */
export function relyingParty(
  config: Pick<Config, 'domainName' | 'passkeyRpId' | 'passkeyRpName' | 'passkeyOrigins' | 'totpIssuer'>,
  localHost?: string,
): RelyingParty {
  const domain = (config.domainName ?? '').trim().toLowerCase();
  const local = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/.test(domain);
  const hostOnly = domain.replace(/:\d+$/, '');
  const id = config.passkeyRpId ?? (local ? 'localhost' : hostOnly);
  if (!RP_ID.test(id) || IP_ADDRESS.test(id)) {
    throw new AppError('server_misconfigured', {
      message: 'Passkeys need a domain name: set PASSKEY_RP_ID (or DOMAIN_NAME) to one, not an IP address.',
    });
  }
  const port = (local ? (localHost ?? domain) : domain).match(/:(\d+)$/)?.[1];
  const own = local ? `http://localhost${port ? `:${port}` : ''}` : `https://${domain}`;
  const origins = [own, ...config.passkeyOrigins.filter((origin) => origin !== own)];
  return { id, name: config.passkeyRpName ?? config.totpIssuer ?? 'Verification', origins };
}
