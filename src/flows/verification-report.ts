import { buildVerificationReport, REPORT_WINDOWS, type ReportWindow, type VerificationReport } from '../domain/verification-report';
import { mapVerifyError } from '../verify/map-verify-error';
import type { VerifyConnection } from '../verify/verify-client';

/** Verify's own count for the same window and service, to show beside ours. */
export interface SummaryCheck {
  totalAttempts: number;
  totalConverted: number;
  conversionRatePercentage: string | null;
  /** Whether the attempts we paged through add up to Verify's summary. */
  matches: boolean;
}

export type VerificationReportResult = { ok: true } & VerificationReport & { summary: SummaryCheck };

/** Attempts come 1000 a page, the API's maximum, so 10,000 attempts take ten requests. */
const PAGE_SIZE = 1000;

/**
 * Pages through the window's Verification Attempts (for this service when one is configured)
 * and asks the Attempts Summary for the same window at the same time; the report is built
 * from the attempts and carries the summary as a cross-check.
 */
export async function verificationReport(
  connection: VerifyConnection,
  input: { window: ReportWindow; serviceSid?: string },
): Promise<VerificationReportResult> {
  const now = connection.serverNow();
  // Whole seconds: the API's date filters have no fractions, and both calls must see the same window.
  const after = new Date(Math.floor((now - REPORT_WINDOWS[input.window]) / 1000) * 1000);
  const filter = { dateCreatedAfter: after, ...(input.serviceSid ? { verifyServiceSid: input.serviceSid } : {}) };
  const { verify } = connection.client;
  try {
    const [attempts, summary] = await Promise.all([
      verify.v2.verificationAttempts.list({ ...filter, pageSize: PAGE_SIZE }),
      verify.v2.verificationAttemptsSummary().fetch(filter),
    ]);
    const report = buildVerificationReport(attempts, input.window, now, after.getTime());
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
