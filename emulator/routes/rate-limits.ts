import { z } from 'zod';
import type { RouteContext } from '../context';
import { TwilioApiError } from '../errors';
import { requireBucket, requireRateLimit, requireService } from '../lookups';
import { listPage } from '../pagination';
import { formInteger, parseParams } from '../params';
import { bucketJson, rateLimitJson } from '../representations';
import type { Route } from '../router';
import { newSid } from '../sids';
import { deleteBucket, deleteRateLimit, type BucketRecord, type RateLimitRecord } from '../store';
import { deleteRoute, updateRoute } from './crud';

/** Error 60209: "UniqueName only supports alphanumeric characters and -, _ or ." */
const UNIQUE_NAME = /^[A-Za-z0-9._-]+$/;

const createRateLimitParams = z.object({ UniqueName: z.string().min(1), Description: z.string().optional() });
const updateRateLimitParams = z.object({ Description: z.string().optional() });
const createBucketParams = z.object({ Max: formInteger(1, 1_000_000), Interval: formInteger(1, 31_536_000) });
const updateBucketParams = createBucketParams.partial();

const renderRateLimit = (context: RouteContext) => (rateLimit: RateLimitRecord) =>
  rateLimitJson(rateLimit, context.state.config.accountSid);
const renderBucket = (context: RouteContext) => (bucket: BucketRecord) =>
  bucketJson(bucket, context.state.config.accountSid);

/** The rate limit named by `:RateLimitSid` (bucket paths) or `:Sid` (rate limit paths). */
function rateLimitIn(context: RouteContext, paramName: 'RateLimitSid' | 'Sid') {
  return requireRateLimit(context, requireService(context), paramName);
}

const bucketIn = (context: RouteContext) => requireBucket(context, rateLimitIn(context, 'RateLimitSid'));

export const rateLimitRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/RateLimits',
    handle(context) {
      const service = requireService(context);
      const params = parseParams(createRateLimitParams, context.form);
      if (!UNIQUE_NAME.test(params.UniqueName)) throw TwilioApiError.of('uniqueNameInvalid');
      const { store } = context.state;
      const taken = [...store.rateLimits.values()].some(
        (rateLimit) => rateLimit.serviceSid === service.sid && rateLimit.uniqueName === params.UniqueName,
      );
      if (taken) throw TwilioApiError.of('rateLimitExists');
      const now = context.state.clock.now();
      const rateLimit: RateLimitRecord = {
        sid: newSid('RK'),
        serviceSid: service.sid,
        uniqueName: params.UniqueName,
        description: params.Description ?? null,
        dateCreated: now,
        dateUpdated: now,
      };
      store.rateLimits.set(rateLimit.sid, rateLimit);
      return { status: 201, body: renderRateLimit(context)(rateLimit) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/RateLimits',
    handle(context) {
      const service = requireService(context);
      const rateLimits = [...context.state.store.rateLimits.values()].filter(
        (rateLimit) => rateLimit.serviceSid === service.sid,
      );
      return listPage(context, 'rate_limits', rateLimits, renderRateLimit(context));
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/RateLimits/:Sid',
    handle: (context) => ({ status: 200, body: renderRateLimit(context)(rateLimitIn(context, 'Sid')) }),
  },
  updateRoute(
    '/v2/Services/:ServiceSid/RateLimits/:Sid',
    (context) => rateLimitIn(context, 'Sid'),
    (rateLimit, context) => {
      rateLimit.description = parseParams(updateRateLimitParams, context.form).Description ?? rateLimit.description;
    },
    renderRateLimit,
  ),
  deleteRoute('/v2/Services/:ServiceSid/RateLimits/:Sid', (context) =>
    deleteRateLimit(context.state.store, rateLimitIn(context, 'Sid').sid),
  ),
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/RateLimits/:RateLimitSid/Buckets',
    handle(context) {
      const rateLimit = rateLimitIn(context, 'RateLimitSid');
      const params = parseParams(createBucketParams, context.form);
      const now = context.state.clock.now();
      const bucket: BucketRecord = {
        sid: newSid('BL'),
        rateLimitSid: rateLimit.sid,
        serviceSid: rateLimit.serviceSid,
        max: params.Max,
        interval: params.Interval,
        dateCreated: now,
        dateUpdated: now,
      };
      context.state.store.buckets.set(bucket.sid, bucket);
      return { status: 201, body: renderBucket(context)(bucket) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/RateLimits/:RateLimitSid/Buckets',
    handle(context) {
      const rateLimit = rateLimitIn(context, 'RateLimitSid');
      const buckets = [...context.state.store.buckets.values()].filter(
        (bucket) => bucket.rateLimitSid === rateLimit.sid,
      );
      return listPage(context, 'buckets', buckets, renderBucket(context));
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/RateLimits/:RateLimitSid/Buckets/:Sid',
    handle: (context) => ({ status: 200, body: renderBucket(context)(bucketIn(context)) }),
  },
  updateRoute(
    '/v2/Services/:ServiceSid/RateLimits/:RateLimitSid/Buckets/:Sid',
    bucketIn,
    (bucket, context) => {
      const params = parseParams(updateBucketParams, context.form);
      bucket.max = params.Max ?? bucket.max;
      bucket.interval = params.Interval ?? bucket.interval;
    },
    renderBucket,
  ),
  deleteRoute('/v2/Services/:ServiceSid/RateLimits/:RateLimitSid/Buckets/:Sid', (context) =>
    deleteBucket(context.state.store, bucketIn(context).sid),
  ),
];
