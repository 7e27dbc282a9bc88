import { z } from 'zod';
import { invalidParameter } from './errors';

/** Form booleans as the SDK serializes them ("true"/"false"). */
export const formBoolean = z
  .enum(['true', 'false', 'True', 'False'])
  .transform((value) => value.toLowerCase() === 'true');

/** Form integers (the SDK sends numbers, which arrive as decimal strings). */
export function formInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A JSON-object-valued form parameter (RateLimits, ChannelConfiguration). */
export const formJsonObject = z.string().transform((text, ctx) => {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the issue below
  }
  ctx.addIssue({ code: 'custom', message: 'not a JSON object' });
  return z.NEVER;
});

/**
 * Parses request parameters; the first invalid or missing one becomes Verify's 60200
 * naming it (`Invalid parameter: CodeLength`).
 */
export function parseParams<S extends z.ZodType>(schema: S, params: Readonly<Record<string, string>>): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const name = result.error.issues[0]?.path[0];
  throw invalidParameter(typeof name === 'string' ? name : 'body');
}
