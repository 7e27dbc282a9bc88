import type { Config } from '../../src/config';
import type { FunctionEvent } from '../../src/http/request';
import { proofTokenIssuer } from '../../src/tokens/proof-token';
import type { VerifiedDestination } from '../../src/tokens/subject';

/** A proof token as /check-verify would issue it for a verified destination, or undefined when tokens are not configured. */
export async function proofTokenFor(
  verified: VerifiedDestination,
  config: Config,
  event: FunctionEvent,
): Promise<string | undefined> {
  return (await proofTokenIssuer(config, event))?.issue(verified);
}
