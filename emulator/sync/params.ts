import type { RouteContext } from '../context';
import { pageOf } from '../pagination';
import type { ApiResult } from '../router';
import { syncError } from './errors';

/**
 * Sync's request parameters, each refused with the Sync code its error page names. The limits
 * are Twilio's: TTL 0–31,536,000 s (54011), Key up to 320 characters (the API reference), Data
 * a JSON object up to 16 KiB (54006), unique names 1–256 characters not shaped like a SID (54302).
 */
const MAX_TTL_SECONDS = 31_536_000;
const MAX_KEY_LENGTH = 320;
const MAX_DATA_BYTES = 16 * 1024;
const MAX_UNIQUE_NAME_LENGTH = 256;
const SID_SHAPE = /^[A-Z]{2}[a-f0-9]{32}$/;

/** A form value, with an empty one read as absent (Twilio: a TTL "must either be empty or an integer"). */
const given = (form: Readonly<Record<string, string>>, name: string): string | undefined =>
  form[name] === undefined || form[name] === '' ? undefined : form[name];

/** A TTL in seconds, undefined when not given. */
export function ttlParam(form: Readonly<Record<string, string>>, name: string): number | undefined {
  const value = given(form, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_TTL_SECONDS) throw syncError('invalidTtl');
  return Number(value);
}

/** The first of two aliases that is given: Sync documents `Ttl` as the one ignored when both are. */
export function ttlOf(form: Readonly<Record<string, string>>, preferred: string, alias: string): number | undefined {
  const value = ttlParam(form, preferred);
  const aliased = ttlParam(form, alias);
  return value ?? aliased;
}

/**
 * When a TTL of `ttl` seconds set now runs out: null for 0 (Sync's "never", which Twilio's SDK
 * sends for an infinite TTL). Counted from the second `date_created` shows, so the expiry
 * falls exactly on the `date_expires` the answer carries.
 */
export function expiryFor(ttl: number, now: number): number | null {
  return ttl === 0 ? null : Math.floor(now / 1000) * 1000 + ttl * 1000;
}

export function keyParam(form: Readonly<Record<string, string>>): string {
  const key = given(form, 'Key');
  if (key === undefined) throw syncError('invalidMapItemKey', "Invalid Map Item key: the 'Key' parameter is required");
  if ([...key].length > MAX_KEY_LENGTH) throw syncError('invalidMapItemKey');
  return key;
}

/** Data: a JSON object (the SDK serializes `data` with JSON.stringify), at most 16 KiB serialized. */
export function dataParam(
  form: Readonly<Record<string, string>>,
  required: boolean,
): Record<string, unknown> | undefined {
  const text = form['Data'];
  if (text === undefined) {
    if (required) throw syncError('invalidMapItemData', "Invalid Map Item data: the 'Data' parameter cannot be null");
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw syncError('invalidJson');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw syncError('invalidMapItemData');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_DATA_BYTES) throw syncError('entityTooLarge');
  return value as Record<string, unknown>;
}

export function uniqueNameParam(form: Readonly<Record<string, string>>): string | undefined {
  const name = form['UniqueName'];
  if (name === undefined) return undefined;
  if (name === '' || [...name].length > MAX_UNIQUE_NAME_LENGTH || SID_SHAPE.test(name))
    throw syncError('invalidUniqueName');
  return name;
}

/** Whether a seeded Map name would pass the same check (createEmulator refuses it otherwise). */
export const isValidUniqueName = (name: string): boolean =>
  name !== '' && [...name].length <= MAX_UNIQUE_NAME_LENGTH && !SID_SHAPE.test(name);

export function booleanParam(form: Readonly<Record<string, string>>, name: string): boolean | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw syncError('invalidParameter', `Invalid parameter: ${name}`);
  return lower === 'true';
}

/** An integer within bounds (ReachabilityDebouncingWindow: 1,000–30,000 ms). */
export function integerParam(
  form: Readonly<Record<string, string>>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw syncError('invalidParameter', `Invalid parameter: ${name}`);
  return Number(value);
}

export function urlParam(form: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw syncError('invalidParameter', `Invalid parameter: ${name}`);
  return value;
}

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 50;

/**
 * A Sync list page. The spec caps PageSize at 100; the SDK sends its `limit` as PageSize (500
 * for `list({limit: 500})`), so a larger one is capped rather than refused, and a malformed
 * one falls back to the default. `filters` are repeated in the page links.
 */
export function syncPage<T>(
  context: RouteContext,
  key: string,
  records: readonly T[],
  render: (record: T) => unknown,
  filters = '',
): ApiResult {
  const sizeText = context.query.get('PageSize') ?? '';
  const pageText = context.query.get('Page') ?? '';
  const pageSize = /^\d+$/.test(sizeText) ? Math.min(Math.max(Number(sizeText), 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const page = /^\d+$/.test(pageText) ? Number(pageText) : 0;
  return pageOf(key, records, render, { page, pageSize, listUrl: `${context.apiUrl}${context.resourcePath}`, filters });
}
