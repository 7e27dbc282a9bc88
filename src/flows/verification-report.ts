import {
  buildVerificationReport,
  REPORT_WINDOWS,
  type ReportAttempt,
  type ReportWindow,
} from '../domain/verification-report';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';
import type { FlowContext } from './flow-context';
import type * as z from 'zod/mini';
import type { verificationReportResponse } from '../contract/responses';

export type VerificationReportResult = z.output<ReturnType<typeof verificationReportResponse>>;

const ATTEMPTS_URL = 'https://verify.twilio.com/v2/Attempts';
/** The API's largest page, so 10,000 attempts take ten requests. */
const PAGE_SIZE = 1000;
/** A window of 30 days holds what the API keeps; this stops a runaway `next_page_url` loop. */
const MAX_PAGES = 200;

interface AttemptsPage {
  attempts?: ReportAttempt[];
  meta?: { next_page_url?: string | null };
}

/** Twilio's date filter format: whole seconds, `Z`. */
const twilioDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Every attempt of the query, following `next_page_url` through the SDK's own request path
 * (its auth, transport and base URL handling). The pages are read as the wire JSON they are:
 * the SDK's list() would build a resource object and parse four dates per attempt, which
 * costs more than the whole report on a cold start.
 */
async function allAttempts(connection: VerifyConnection, query: URLSearchParams): Promise<ReportAttempt[]> {
  const attempts: ReportAttempt[] = [];
  let uri: string | null | undefined = `${ATTEMPTS_URL}?${query.toString()}`;
  for (let page = 0; uri && page < MAX_PAGES; page += 1) {
    const response = await connection.client.request({ method: 'get', uri });
    const body = (typeof response.body === 'string' ? JSON.parse(response.body) : response.body) as AttemptsPage & {
      code?: number;
      message?: string;
    };
    if (response.statusCode >= 400) {
      // The shape the SDK's RestException has, for mapVerifyError.
      throw Object.assign(new Error(String(body?.message ?? 'Twilio error')), {
        status: response.statusCode,
        code: body?.code,
      });
    }
    for (const attempt of body.attempts ?? []) attempts.push(attempt);
    uri = body.meta?.next_page_url;
  }
  return attempts;
}

/**
 * Pages through the window's Verification Attempts (for this service when one is configured)
 * and asks the Attempts Summary for the same window at the same time; the report is built
 * from the attempts and carries the summary as a cross-check.
 */
export async function verificationReport(
  { config, connect }: Pick<FlowContext, 'config' | 'connect'>,
  input: { window: ReportWindow },
): Promise<VerificationReportResult> {
  const connection = connect();
  const serviceSid = config.serviceSid;
  const now = connection.serverNow();
  // Whole seconds: the API's date filters have no fractions, and both calls must see the same window.
  const from = Math.floor((now - REPORT_WINDOWS[input.window]) / 1000) * 1000;
  const query = new URLSearchParams({ DateCreatedAfter: twilioDate(from), PageSize: String(PAGE_SIZE) });
  if (serviceSid) query.set('VerifyServiceSid', serviceSid);
  try {
    const [attempts, summary] = await Promise.all([
      allAttempts(connection, query),
      connection.client.verify.v2.verificationAttemptsSummary().fetch({
        dateCreatedAfter: new Date(from),
        ...(serviceSid ? { verifyServiceSid: serviceSid } : {}),
      }),
    ]);
    const report = buildVerificationReport(attempts, input.window, now, from);
    return {
      ok: true,
      ...report,
      summary: {
        totalAttempts: summary.totalAttempts,
        totalConverted: summary.totalConverted,
        conversionRatePercentage: summary.conversionRatePercentage ?? null,
        matches: summary.totalAttempts === report.totals.attempts && summary.totalConverted === report.totals.converted,
      },
    };
  } catch (error) {
    throw mapVerifyError(error, { notFound: 'server_misconfigured', retryAfter: connection.lastRetryAfter() });
  }
}
