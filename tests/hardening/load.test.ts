// Load: 1,000 full verifications (start + check) through the emulator at 50 concurrent
// clients, in-process with the real twilio SDK. Zero lost (every start 200, every check
// approved) and zero cross-wired (each code approves only its own number), counted.
import { handler as startHandler } from '../../functions/start-verify';
import { handler as checkHandler } from '../../functions/check-verify';
import { createEmulator, type Emulator } from '../../emulator';
import { reportSummary } from './fuzz-runner';
import {
  buildEvent,
  callHandler,
  Histogram,
  inProcessContext,
  LogTap,
  writeSummary,
  type Answer,
  type AnyHandler,
} from './support';

const VERIFICATIONS = 1000;
const CLIENTS = 50;
const CROSS_SAMPLE = 100;

const json = { 'content-type': 'application/json' };
const numberAt = (block: number, i: number) => `+1415555${String(block + i).padStart(4, '0')}`;

/** Runs `work` for 0..count-1 with `clients` concurrent workers. */
async function pool(count: number, clients: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

describe('load: full verifications through the emulator', () => {
  let emulator: Emulator;
  const tap = new LogTap();
  const start = (to: string) =>
    callHandler(startHandler as AnyHandler, inProcessContext(emulator), buildEvent({ to }, json));
  // CHECK_BY_TO on, so half the checks can go by number (the operator's documented opt-in).
  const check = (params: Record<string, unknown>) =>
    callHandler(
      checkHandler as AnyHandler,
      inProcessContext(emulator, { CHECK_BY_TO: 'true' }),
      buildEvent(params, json),
    );
  const masked = (to: string) => `+1******${to.slice(-4)}`;
  const codeFor = (to: string) => {
    const messages = emulator.messages({ to });
    return messages.length === 1 ? messages[0].code : undefined;
  };

  beforeAll(() => {
    emulator = createEmulator();
    tap.install();
  });
  afterAll(() => tap.restore());

  it(`${VERIFICATIONS} verifications at ${CLIENTS} concurrent clients: none lost, none cross-wired`, async () => {
    const lost: string[] = [];
    const crossWired: string[] = [];
    const statuses = new Histogram();
    const latencies: number[] = [];
    const started = performance.now();

    await pool(VERIFICATIONS, CLIENTS, async (i) => {
      const to = numberAt(0, i);
      const sent: Answer = await start(to);
      statuses.add(`start ${sent.status}`);
      latencies.push(sent.ms);
      const handle = (sent.body as { verification?: string }).verification;
      if (sent.status !== 200 || !handle) return void lost.push(`${to}: start ${sent.status}`);
      const code = codeFor(to);
      if (!code) return void lost.push(`${to}: ${emulator.messages({ to }).length} messages delivered`);
      // Half by handle, half by number: both must land on this number's verification.
      const checked = await check(i % 2 === 0 ? { code, verification: handle } : { code, to });
      statuses.add(`check ${checked.status}`);
      latencies.push(checked.ms);
      const body = checked.body as { status?: string; to?: string };
      if (checked.status !== 200 || body.status !== 'approved') return void lost.push(`${to}: check ${checked.status}`);
      if (body.to !== masked(to)) crossWired.push(`${to}: approved ${String(body.to)}`);
    });
    const elapsedMs = performance.now() - started;

    // Every delivered message belongs to the verification of its own number, once.
    const messages = emulator.messages();
    const perNumber = new Map<string, Set<string>>();
    for (const m of messages) perNumber.set(m.to, (perNumber.get(m.to) ?? new Set()).add(m.verificationSid));
    for (const [to, sids] of perNumber)
      if (sids.size !== 1) crossWired.push(`${to}: messages from ${sids.size} verifications`);

    const logs = tap.drain();
    const logLines = logs.map((line) => JSON.parse(line) as { status: number; route: string });
    const leakyLines = logs.filter((line) => /\d{6,}/.test(line.replace(/\b[A-Z]{2}[0-9a-f]{32}\b/g, '')));

    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
    const summary = {
      verifications: VERIFICATIONS,
      clients: CLIENTS,
      requests: VERIFICATIONS * 2,
      elapsedMs: Math.round(elapsedMs),
      verificationsPerSecond: Math.round((VERIFICATIONS / elapsedMs) * 1000),
      requestsPerSecond: Math.round(((VERIFICATIONS * 2) / elapsedMs) * 1000),
      latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: pct(1) },
      statuses: statuses.counts,
      messagesDelivered: messages.length,
      logLines: logLines.length,
      lost: lost.length,
      crossWired: crossWired.length,
    };
    writeSummary('hardening-load', {
      ...summary,
      lostExamples: lost.slice(0, 10),
      crossWiredExamples: crossWired.slice(0, 10),
    });
    tap.restore();
    reportSummary('load:', summary);
    tap.install();

    expect(lost).toEqual([]);
    expect(crossWired).toEqual([]);
    expect(statuses.counts).toEqual({ 'start 200': VERIFICATIONS, 'check 200': VERIFICATIONS });
    expect(messages).toHaveLength(VERIFICATIONS);
    // One log line per request, none carrying a code or a full number.
    expect(logLines).toHaveLength(VERIFICATIONS * 2);
    expect(logLines.every((l) => l.status === 200)).toBe(true);
    expect(leakyLines).toEqual([]);
  }, 60_000);

  it(`a code sent with another number's handle or number never approves (${CROSS_SAMPLE} pairs, concurrent)`, async () => {
    const started: Array<{ to: string; handle: string; code: string }> = [];
    await pool(CROSS_SAMPLE, CLIENTS, async (i) => {
      const to = numberAt(5000, i);
      const sent = await start(to);
      expect(sent.status).toBe(200);
      started[i] = {
        to,
        handle: String((sent.body as { verification: string }).verification),
        code: codeFor(to) ?? '',
      };
    });
    const wrongApprovals: string[] = [];
    let attempts = 0;
    await pool(CROSS_SAMPLE, CLIENTS, async (i) => {
      const a = started[i];
      const b = started[(i + 1) % CROSS_SAMPLE];
      if (a.code === b.code) return; // one in a million: the same code is not a cross-wire
      for (const params of [
        { code: a.code, verification: b.handle },
        { code: a.code, to: b.to },
      ]) {
        attempts += 1;
        const res = await check(params);
        if (res.status === 200) wrongApprovals.push(`code of ${a.to} approved ${b.to}`);
        else if (res.status !== 401)
          wrongApprovals.push(`code of ${a.to} on ${b.to}: ${res.status} (want 401 incorrect_code)`);
      }
    });
    // The wrong tries did not spoil anything: each code still approves its own verification.
    const ownApprovals: number[] = [];
    await pool(CROSS_SAMPLE, CLIENTS, async (i) => {
      const res = await check({ code: started[i].code, verification: started[i].handle });
      ownApprovals.push(res.status === 200 && (res.body as { to?: string }).to === masked(started[i].to) ? 1 : 0);
    });
    tap.drain();
    expect(attempts).toBeGreaterThanOrEqual(CROSS_SAMPLE * 2 - 2);
    expect(wrongApprovals).toEqual([]);
    expect(ownApprovals.reduce((a, b) => a + b, 0)).toBe(CROSS_SAMPLE);
  }, 60_000);
});
