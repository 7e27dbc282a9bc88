/**
 * Every answer a browser page receives from a function is checked against the OpenAPI document
 * (tests/support/contract.ts); a test whose page received one that drifted fails in afterEach.
 * Loaded for every e2e test file by jest.e2e.config.js (setupFilesAfterEnv).
 */
import type { Page, Response } from 'playwright-core';
import { contractPaths, contractViolation } from '../../support/contract';

const violations: string[] = [];
const pending = new Set<Promise<void>>();

async function check(response: Response): Promise<void> {
  const url = new URL(response.url());
  if (!contractPaths().includes(url.pathname)) return;
  const method = response.request().method();
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // Only a page closed before its answer arrived leaves no body to check.
    if (/closed|Target|No resource/i.test(String(error))) return;
    throw error;
  }
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // Not JSON: the schema check says so.
  }
  const violation = contractViolation({ path: url.pathname, method, status: response.status(), body });
  if (violation) violations.push(violation);
}

/** Starts checking every answer `page` receives from a route of the contract. */
export function guardContract(page: Page): void {
  page.on('response', (response) => {
    const checking = check(response).catch((error: unknown) => {
      violations.push(`could not check ${response.url()}: ${String(error)}`);
    });
    pending.add(checking);
    void checking.finally(() => pending.delete(checking));
  });
}

afterEach(async () => {
  await Promise.all([...pending]);
  const seen = violations.splice(0);
  expect(seen).toEqual([]);
});
