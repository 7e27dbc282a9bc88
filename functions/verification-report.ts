/** POST /verification-report, for the owner's page (assets/admin.html), from Verify's Attempts API and its Attempts Summary. */
import { VERIFY_ERRORS } from '../src/contract/error-groups';
import { verificationReportResponse } from '../src/contract/responses';
import { verificationReportSchema } from '../src/domain/schemas/verification-report';
import { verificationReport } from '../src/flows/verification-report';
import { adminAuth } from '../src/http/admin-auth';
import { defineRoute } from '../src/http/define-route';

export const handler = defineRoute({
  name: 'verification-report',
  tag: 'admin',
  summary: 'Conversion, delivery failures and a pumping signal over a window',
  auth: adminAuth,
  input: verificationReportSchema,
  responses: { 200: verificationReportResponse },
  errors: [...VERIFY_ERRORS, 'admin_disabled', 'unauthorized'],
  run: async (route) => ({ body: await verificationReport(route, route.input) }),
});
