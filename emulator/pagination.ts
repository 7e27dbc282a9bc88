import type { RouteContext } from './context';
import { parseParams, formInteger } from './params';
import type { ApiResult } from './router';
import { z } from 'zod';

const pageParams = z.object({
  PageSize: formInteger(1, 1000).default(50),
  Page: formInteger(0, Number.MAX_SAFE_INTEGER).default(0),
  PageToken: z.string().optional(),
});

export interface PageRequest {
  page: number;
  pageSize: number;
  /** Absolute URL of the list, without a query. */
  listUrl: string;
  /** Filters the page links repeat before PageSize, already encoded (`Order=desc&From=a`); empty for none. */
  filters?: string;
}

/**
 * One page of a list in Twilio's shape: the records under `key` and a `meta` block whose
 * `next_page_url` the SDK's `.list()` / `.each()` follow. Page numbers stand in for page tokens.
 */
export function pageOf<T>(
  key: string,
  records: readonly T[],
  render: (record: T) => unknown,
  request: PageRequest,
): ApiResult {
  const { page, pageSize, listUrl } = request;
  const filters = request.filters ? `${request.filters}&` : '';
  const pageUrl = (n: number) => `${listUrl}?${filters}PageSize=${pageSize}&Page=${n}`;
  const start = page * pageSize;
  const hasNext = start + pageSize < records.length;
  return {
    status: 200,
    body: {
      [key]: records.slice(start, start + pageSize).map(render),
      meta: {
        page,
        page_size: pageSize,
        first_page_url: pageUrl(0),
        previous_page_url: page > 0 ? pageUrl(page - 1) : null,
        url: pageUrl(page),
        next_page_url: hasNext ? pageUrl(page + 1) : null,
        key,
      },
    },
  };
}

/** A Verify list page: PageSize 1–1000 (default 50) and Page, a bad one refused with 60200. */
export function listPage<T>(
  context: RouteContext,
  key: string,
  records: readonly T[],
  render: (record: T) => unknown,
): ApiResult {
  const { PageSize: pageSize, Page: page } = parseParams(pageParams, Object.fromEntries(context.query));
  return pageOf(key, records, render, { page, pageSize, listUrl: `${context.apiUrl}${context.resourcePath}` });
}
