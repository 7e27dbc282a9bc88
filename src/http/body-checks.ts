import { AppError } from '../domain/app-error';
import { header, type FunctionEvent } from './request';

/**
 * What the caller did to their body that would make the runtime hand us something other than
 * it, each said so the caller can fix it. The local front (scripts/local-front.ts), which sees
 * the raw bytes, answers with the same words.
 */
export const BODY_PROBLEMS = {
  notUtf8: 'The body is not valid UTF-8.',
  jsonAsForm:
    'The body looks like JSON but was sent as application/x-www-form-urlencoded (what curl -d sends by default): add the header `Content-Type: application/json`.',
  unread: (type: string | undefined) =>
    type === undefined
      ? 'The body has no Content-Type, so it is not read: add the header `Content-Type: application/json` (or send it form-encoded).'
      : `${NAMED_TYPES.has(type) ? `A ${type} body` : 'A body of this Content-Type'} is not read: send it as \`Content-Type: application/json\` (or form-encoded).`,
} as const;

/** Types a client sends by mistake, named in the answer; any other caller-supplied value is never echoed. */
const NAMED_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'multipart/form-data',
  'application/xml',
  'text/xml',
  'application/octet-stream',
]);

/** The media types the runtime parses into parameters (body-parser's json and urlencoded). */
const READ_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/x-www-form-urlencoded']);

/** `application/json; charset=utf-8` → `application/json`; undefined without a header. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** A UTF-8 decoder replaces what it cannot decode with U+FFFD: the runtime's, for one. */
const REPLACEMENT = '\uFFFD';

/** Walks with its own stack, not recursion: a body nested thousands deep must be a 400, not a stack overflow. */
function hasReplacement(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes(REPLACEMENT)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(REPLACEMENT)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** A form key no parameter of ours has: the start of a JSON text that was sent as a form. */
export const looksLikeJson = (key: string): boolean => /^\s*[{[]/.test(key);

/**
 * Refuses parameters that are not the caller's body as sent: text the runtime decoded with
 * replacement characters (the body was not UTF-8), a JSON text read as one form key, or a body
 * the runtime did not read at all. Runs after `auth`, so an admin route says nothing to a stranger.
 */
export function assertBodyAsSent(event: FunctionEvent, params: Record<string, unknown>): void {
  const keys = Object.keys(params);
  if (keys.some((key) => key.includes(REPLACEMENT)) || keys.some((key) => hasReplacement(params[key]))) {
    throw new AppError('invalid_request', { field: 'body', message: BODY_PROBLEMS.notUtf8 });
  }
  const type = mediaTypeOf(header(event, 'content-type'));
  if (type === 'application/x-www-form-urlencoded' && keys.some(looksLikeJson)) {
    throw new AppError('invalid_request', { field: 'body', message: BODY_PROBLEMS.jsonAsForm });
  }
  const length = Number(header(event, 'content-length'));
  if ((type === undefined || !READ_TYPES.has(type)) && Number.isFinite(length) && length > 0) {
    throw new AppError('invalid_request', { field: 'body', message: BODY_PROBLEMS.unread(type) });
  }
}
