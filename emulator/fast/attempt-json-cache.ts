import { attemptJson } from '../attempts';
import type { AttemptRecord } from '../store';

/**
 * Speed-up kept for the report target (bench/HISTORY.md): an attempt's JSON text is kept until
 * what it shows changes (conversion, or the code's window ending), so a page of 1,000 attempts
 * is a join of stored strings, not 1,000 objects built and serialized again for every page.
 */
const renderedAttempts = new WeakMap<AttemptRecord, { key: string; json: string }>();

export function renderAttempt(attempt: AttemptRecord, accountSid: string, now: number): string {
  const key = `${accountSid}|${attempt.convertedAt ?? ''}|${now >= attempt.expiresAt}`;
  const cached = renderedAttempts.get(attempt);
  if (cached?.key === key) return cached.json;
  const json = JSON.stringify(attemptJson(attempt, accountSid, now));
  renderedAttempts.set(attempt, { key, json });
  return json;
}
