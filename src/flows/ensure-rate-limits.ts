import { RATE_LIMITS } from '../domain/rate-limits';
import type * as z from 'zod/mini';
import type { createServiceResponse } from '../contract/responses';
import type { VerifyConnection } from '../verify/verify-client';

type EnsuredRateLimit = z.output<ReturnType<typeof createServiceResponse>>['rateLimits'][number];

/**
 * Creates this project's rate limits and buckets on a service, skipping what exists, so it
 * can run on every set-up. Errors propagate for the caller to map.
 */
export async function ensureRateLimits(connection: VerifyConnection, serviceSid: string): Promise<EnsuredRateLimit[]> {
  const service = connection.client.verify.v2.services(serviceSid);
  const existing = await service.rateLimits.list({ pageSize: 100 });
  const ensured: EnsuredRateLimit[] = [];
  for (const wanted of RATE_LIMITS) {
    const rateLimit =
      existing.find((r) => r.uniqueName === wanted.uniqueName) ??
      (await service.rateLimits.create({ uniqueName: wanted.uniqueName, description: wanted.description }));
    const buckets = await service.rateLimits(rateLimit.sid).buckets.list({ pageSize: 100 });
    for (const bucket of wanted.buckets) {
      if (!buckets.some((b) => b.interval === bucket.interval)) {
        await service.rateLimits(rateLimit.sid).buckets.create({ max: bucket.max, interval: bucket.interval });
      }
    }
    ensured.push({ uniqueName: wanted.uniqueName, sid: rateLimit.sid, buckets: wanted.buckets.map((b) => ({ ...b })) });
  }
  return ensured;
}
