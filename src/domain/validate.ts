import type * as z from 'zod/mini';
import { AppError } from './app-error';
import { ERROR_CODES, type ErrorCode } from './error-codes';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}

/** Turns the first zod issue into the API's error: a stable code, a message and the field. */
function toAppError(error: z.core.$ZodError): AppError {
  // An unknown parameter is named first: a stale `verificationSid` says more than "`verification` is required".
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  // Strict schemas word this message themselves (see strictParams in schemas/fields.ts).
  if (issue.code === 'unrecognized_keys')
    return new AppError('invalid_request', { field: issue.keys[0], message: issue.message });
  const params = issue.code === 'custom' ? issue.params : undefined;
  const code = isErrorCode(params?.code) ? params.code : 'invalid_request';
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  return new AppError(code, { field, message: issue.message });
}

/** Validates input with a schema, throwing the API's error for the first problem. */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw toAppError(result.error);
  return result.data;
}
