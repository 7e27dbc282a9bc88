import { z } from 'zod';
import { AppError } from './domain/app-error';

/** The environment every function reads, validated once per invocation. */
const configSchema = z.object({
  VERIFY_SERVICE_SID: z.string().trim().optional(),
  ADMIN_TOKEN: z.string().optional(),
  VERIFY_EMULATOR_HOST: z.string().trim().optional(),
  VERIFY_TIMEOUT_MS: z.coerce.number().int().min(500).max(9000).optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  DOMAIN_NAME: z.string().optional(),
});

export interface Config {
  serviceSid?: string;
  adminToken?: string;
  emulatorHost?: string;
  /** Kept well under the Functions runtime's 10 s limit so we can still answer. */
  timeoutMs: number;
  allowedOrigins: readonly string[];
  domainName?: string;
}

export const DEFAULT_TIMEOUT_MS = 5000;

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

export function readConfig(env: Record<string, unknown>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const name = String(parsed.error.issues[0].path[0]);
    throw new AppError('server_misconfigured', { message: `${name} has an invalid value.` });
  }
  const e = parsed.data;
  return {
    serviceSid: blankToUndefined(e.VERIFY_SERVICE_SID),
    adminToken: blankToUndefined(e.ADMIN_TOKEN),
    emulatorHost: blankToUndefined(e.VERIFY_EMULATOR_HOST),
    timeoutMs: e.VERIFY_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    domainName: e.DOMAIN_NAME,
  };
}

/** The Verify Service every verification goes to; missing is the operator's fault. */
export function requireServiceSid(config: Config): string {
  const sid = config.serviceSid;
  if (!sid) {
    throw new AppError('server_misconfigured', {
      message: 'VERIFY_SERVICE_SID is not set. Create a service with /create-service and set it.',
    });
  }
  if (!/^VA[0-9a-fA-F]{32}$/.test(sid)) {
    throw new AppError('server_misconfigured', {
      message: 'VERIFY_SERVICE_SID must be a Verify Service SID (VA followed by 32 hex characters).',
    });
  }
  return sid;
}
