import type { RouteContext } from './context';
import { notFound } from './errors';
import type { BucketRecord, RateLimitRecord, ServiceRecord } from './store';

/** Finders for path parameters: a miss is Twilio's 20404 naming the requested path. */
export function requireService(context: RouteContext, paramName = 'ServiceSid'): ServiceRecord {
  const service = context.state.store.services.get(context.params[paramName] ?? '');
  if (!service) throw notFound(context.resourcePath);
  return service;
}

export function requireRateLimit(context: RouteContext, service: ServiceRecord, paramName: string): RateLimitRecord {
  const rateLimit = context.state.store.rateLimits.get(context.params[paramName] ?? '');
  if (!rateLimit || rateLimit.serviceSid !== service.sid) throw notFound(context.resourcePath);
  return rateLimit;
}

export function requireBucket(context: RouteContext, rateLimit: RateLimitRecord): BucketRecord {
  const bucket = context.state.store.buckets.get(context.params['Sid'] ?? '');
  if (!bucket || bucket.rateLimitSid !== rateLimit.sid) throw notFound(context.resourcePath);
  return bucket;
}
