import * as z from 'zod/mini';
import { REPORT_WINDOWS, type ReportWindow } from '../verification-report';
import { strictParams } from './fields';

const WINDOWS = Object.keys(REPORT_WINDOWS) as [ReportWindow, ...ReportWindow[]];

/** `window`: 24h, 7d (default) or 30d — the Attempts API keeps 30 days. Nothing else is accepted. */
export const verificationReportSchema = strictParams({
  window: z._default(z.enum(WINDOWS, { error: `\`window\` must be ${WINDOWS.join(', ')}.` }), '7d'),
});
