import type { EntityContext } from 'twilio/lib/rest/verify/v2/service/entity';
import type { FactorInstance } from 'twilio/lib/rest/verify/v2/service/entity/factor';

/**
 * Removes the Entity's TOTP factors that `choose` picks from the whole list. A factor that
 * cannot be removed now is left for the next time (each removal is tried on its own); an
 * Entity Verify does not know yet has none. Listing them can still fail (Verify down): that is
 * thrown.
 */
export async function removeTotpFactors(
  entity: EntityContext,
  choose: (factors: FactorInstance[]) => FactorInstance[],
): Promise<void> {
  let factors: FactorInstance[];
  try {
    factors = await entity.factors.list({ limit: 20 });
  } catch (err) {
    if ((err as { status?: unknown }).status === 404) return;
    throw err;
  }
  const chosen = choose(factors.filter((factor) => factor.factorType === 'totp'));
  await Promise.all(
    chosen.map((factor) =>
      entity
        .factors(factor.sid)
        .remove()
        .catch(() => undefined),
    ),
  );
}
