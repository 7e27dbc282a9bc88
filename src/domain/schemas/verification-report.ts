import * as z from 'zod/mini';

/** `window`: 24h, 7d (default) or 30d — the Attempts API keeps 30 days. Nothing else is accepted. */
export const verificationReportSchema = z.strictObject(
  {
    window: z._default(z.enum(['24h', '7d', '30d'], { error: '`window` must be 24h, 7d or 30d.' }), '7d'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown parameter \`${issue.keys[0]}\`: only \`window\` is accepted.` : undefined) },
);
export type VerificationReportInput = z.output<typeof verificationReportSchema>;
