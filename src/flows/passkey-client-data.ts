/**
 * The challenge a WebAuthn answer (a registration's attestation or a sign-in's assertion)
 * says it answers, read from its client data (base64url JSON); undefined when it names none
 * or the client data is not readable. What the browser signed is checked by Verify; this only
 * ties the answer to the request it was sent with before Verify is asked.
 */
export function clientDataChallenge(clientDataJSON: string): string | undefined {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : undefined;
  } catch {
    return undefined;
  }
}
