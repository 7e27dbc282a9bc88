import { z } from 'zod';
import {
  ATTEMPT_CHANNELS,
  ATTEMPT_RETENTION_MS,
  attemptJson,
  attemptsSummaryJson,
  findAttempts,
  type AttemptFilter,
} from '../attempts';
import { renderAttempt } from '../fast/attempt-json-cache';
import type { RouteContext } from '../context';
import { VERIFY_BASE_URL } from '../defaults';
import { notFound } from '../errors';
import { formInteger, parseParams } from '../params';
import type { ApiResult, Route } from '../router';

/** Twilio's date-time filter format, yyyy-MM-dd'T'HH:mm:ss'Z' (fractions accepted, as Date.parse does). */
const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
  .transform(Date.parse)
  .pipe(z.number().finite());

const commonFilters = {
  DateCreatedAfter: dateTime.optional(),
  DateCreatedBefore: dateTime.optional(),
  Country: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .transform((code) => code.toUpperCase())
    .optional(),
  Channel: z.enum(ATTEMPT_CHANNELS).optional(),
  VerifyServiceSid: z
    .string()
    .regex(/^VA[0-9a-fA-F]{32}$/)
    .optional(),
};

const listParams = z.object({
  ...commonFilters,
  'ChannelData.To': z.string().min(1).optional(),
  VerificationSid: z
    .string()
    .regex(/^VE[0-9a-fA-F]{32}$/)
    .optional(),
  // The description spells the values in capitals; the enum (and the SDK) in lower case.
  Status: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['converted', 'unconverted']))
    .optional(),
  PageSize: formInteger(1, 1000).default(50),
  Page: formInteger(0, Number.MAX_SAFE_INTEGER).default(0),
  PageToken: z.string().optional(),
});

const summaryParams = z.object({
  ...commonFilters,
  DestinationPrefix: z
    .string()
    .regex(/^\+\d{1,15}$/)
    .optional(),
});

type CommonParams = z.output<z.ZodObject<typeof commonFilters>>;

function commonFilter(params: CommonParams): AttemptFilter {
  return {
    after: params.DateCreatedAfter,
    before: params.DateCreatedBefore,
    country: params.Country,
    channel: params.Channel,
    serviceSid: params.VerifyServiceSid,
  };
}

/** One page; the page URLs keep the filters so the SDK's `.list()`/`.each()` page through the same set. */
function attemptsPage(context: RouteContext): ApiResult {
  const query = Object.fromEntries(context.query);
  const params = parseParams(listParams, query);
  const attempts = findAttempts(context.state, {
    ...commonFilter(params),
    to: params['ChannelData.To'],
    verificationSid: params.VerificationSid,
    converted: params.Status === undefined ? undefined : params.Status === 'converted',
  });
  const kept = new URLSearchParams();
  for (const [name, value] of context.query)
    if (name !== 'PageSize' && name !== 'Page' && name !== 'PageToken') kept.append(name, value);
  const pageUrl = (page: number) => {
    const url = new URLSearchParams(kept);
    url.set('PageSize', String(params.PageSize));
    url.set('Page', String(page));
    return `${VERIFY_BASE_URL}/v2/Attempts?${url.toString()}`;
  };
  const start = params.Page * params.PageSize;
  const now = context.state.clock.now();
  const { accountSid } = context.state.config;
  const meta = {
    page: params.Page,
    page_size: params.PageSize,
    first_page_url: pageUrl(0),
    previous_page_url: params.Page > 0 ? pageUrl(params.Page - 1) : null,
    url: pageUrl(params.Page),
    next_page_url: start + params.PageSize < attempts.length ? pageUrl(params.Page + 1) : null,
    key: 'attempts',
  };
  const rendered = attempts
    .slice(start, start + params.PageSize)
    .map((attempt) => renderAttempt(attempt, accountSid, now));
  return { status: 200, json: `{"attempts":[${rendered.join(',')}],"meta":${JSON.stringify(meta)}}` };
}

/** Account-level routes (no service in the path), as Twilio serves them. */
export const attemptRoutes: Route[] = [
  { method: 'GET', path: '/v2/Attempts', handle: attemptsPage },
  {
    // Listed before /v2/Attempts/:Sid so that "Summary" is not read as a SID.
    method: 'GET',
    path: '/v2/Attempts/Summary',
    handle(context) {
      const params = parseParams(summaryParams, Object.fromEntries(context.query));
      const attempts = findAttempts(context.state, {
        ...commonFilter(params),
        destinationPrefix: params.DestinationPrefix,
      });
      return { status: 200, body: attemptsSummaryJson(attempts) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Attempts/:Sid',
    handle(context) {
      const now = context.state.clock.now();
      const attempt = context.state.store.attempts.get(context.params['Sid'] ?? '');
      if (!attempt || attempt.time < now - ATTEMPT_RETENTION_MS) throw notFound(context.resourcePath);
      return { status: 200, body: attemptJson(attempt, context.state.config.accountSid, now) };
    },
  },
];
