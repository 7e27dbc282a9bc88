/**
 * The owner's report (/verification-report, window 30d) over 10,000 seeded Verification
 * Attempts, through twilio-run + the emulator: ten pages of 1,000 attempts and the Attempts
 * Summary per request. Target: the median answer under 1 s; the no-op route of the same
 * twilio-run is measured in the same rounds as the baseline (each request forks a process).
 */
import type { LocalStack } from '../scripts/local-stack';
import { baselineFigure, shuffler, summarize, type Figure } from './stats';

const REPORT_ATTEMPTS = 10_000;
const REPORT_TARGET_MS = 1000;

async function timedPost(url: string, body: object, headers: Record<string, string> = {}) {
  const t0 = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    ok?: boolean;
    totals?: { attempts: number };
    summary?: { matches: boolean };
  };
  return { ms: performance.now() - t0, status: response.status, json };
}

export async function reportLatency(stack: LocalStack, options: { rounds: number; warmup: number }): Promise<Figure[]> {
  // Seeded relative to the emulator's clock; the stack is shared, so earlier attempts may exist too.
  const seeded = await fetch(`${stack.emulatorUrl}/emulator/v1/seed-attempts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: REPORT_ATTEMPTS, days: 30, seed: 10 }),
  });
  if (seeded.status !== 201) throw new Error(`seed-attempts answered ${seeded.status}`);

  const report = async () => {
    const answer = await timedPost(
      `${stack.baseUrl}/verification-report`,
      { window: '30d' },
      { authorization: `Bearer ${stack.adminToken}` },
    );
    if (
      answer.status !== 200 ||
      !answer.json.ok ||
      (answer.json.totals?.attempts ?? 0) < REPORT_ATTEMPTS ||
      !answer.json.summary?.matches
    ) {
      throw new Error(`verification-report answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`);
    }
    return answer.ms;
  };
  const noop = async () => {
    const answer = await timedPost(`${stack.baseUrl}/noop`, {});
    if (answer.status !== 200) throw new Error(`noop answered ${answer.status}`);
    return answer.ms;
  };

  for (let i = 0; i < options.warmup; i += 1) {
    await noop();
    await report();
  }
  const samples = { noop: [] as number[], report: [] as number[] };
  const shuffle = shuffler(16);
  for (let r = 0; r < options.rounds; r += 1) {
    for (const kind of shuffle(['noop', 'report'] as const))
      samples[kind].push(await (kind === 'noop' ? noop() : report()));
  }
  const base = summarize(samples.noop);
  const s = summarize(samples.report);
  return [
    baselineFigure('report', 'no-op route (baseline)', base, 'ms'),
    {
      group: 'report',
      name: `verification-report 30d, ${REPORT_ATTEMPTS.toLocaleString('en-US')} attempts`,
      median: s.median,
      p95: s.p95,
      samples: s.samples,
      unit: 'ms',
      baseline: base.median,
      ratio: s.median / base.median,
      target: `< ${REPORT_TARGET_MS} ms`,
      pass: s.median < REPORT_TARGET_MS,
    },
  ];
}
