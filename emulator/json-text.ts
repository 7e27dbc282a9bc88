/**
 * JSON text for the hot responses, written out instead of building an object for
 * JSON.stringify (which, on Node 20, is several times slower for these small bodies).
 * The output is byte for byte what JSON.stringify gives for the same value.
 */

/** Strings JSON.stringify writes as they are: no quote, backslash, control char or surrogate. */
const VERBATIM = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

export function jsonString(text: string): string {
  return VERBATIM.test(text) ? `"${text}"` : JSON.stringify(text);
}

export function jsonStringOrNull(text: string | null): string {
  return text === null ? 'null' : jsonString(text);
}
