/**
 * POST /verification-report — admin only: conversion and delivery over a window, for the
 * owner's page (assets/admin.html). Needs `Authorization: Bearer <ADMIN_TOKEN>`; closed while unset.
 *
 * Params: `window` — `24h`, `7d` (default) or `30d`.
 * 200 { ok, window, from, to, totals, conversionByChannel, conversionByCountry, series,
 *       failuresByCountry, failuresByChannel, pumping: { baselineRate, signals }, summary }
 * built from Verify's Attempts API (for VERIFY_SERVICE_SID when set), with Verify's Attempts
 * Summary for the same window in `summary` (`matches` says whether both agree).
 * Errors: admin_disabled (403), unauthorized (401), invalid_request (400), verify_* (502/504).
 */
import { verificationReportSchema } from '../src/domain/schemas/verification-report';
import { verificationReport } from '../src/flows/verification-report';
import { requireAdmin } from '../src/http/admin-auth';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-report',
  auth: requireAdmin,
  input: verificationReportSchema,
  run: async ({ input, config, connect }) => ({ body: await verificationReport(connect(), { window: input.window, serviceSid: config.serviceSid }) }),
});
