/**
 * 3. Emulator throughput: full verifications (create, read the code, check → approved) per
 * second through the real twilio SDK, in process (the emulator's own httpClient) and over
 * HTTP on loopback (the functions' emulator transport, on a keep-alive agent, with the
 * emulator server in this process too: client and server share one core, a conservative
 * set-up). Each batch starts from a reset emulator; a separate figure shows the rate once
 * the emulator holds many finished verifications, as after a long `npm start` session.
 */
import http from 'node:http';
import twilio from 'twilio';
import {
  createEmulator,
  EMULATOR_ACCOUNT_SID,
  EMULATOR_AUTH_TOKEN,
  EMULATOR_SERVICE_SID,
  startEmulatorServer,
  type Emulator,
} from '../emulator';
import { createEmulatorHttpClient } from '../src/verify/emulator-http-client';
import { summarize, type Figure } from './stats';

export const IN_PROCESS_TARGET = 5000;
export const OVER_HTTP_TARGET = 1000;

type Client = ReturnType<typeof twilio>;

/** Distinct E.164 numbers: the emulator allows 5 sends per number per 10 minutes. */
let sequence = 0;
const nextNumber = () => `+1${(2_000_000_000 + sequence++).toString()}`;

async function verifyOnce(client: Client, emulator: Emulator): Promise<void> {
  const to = nextNumber();
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  await service.verifications.create({ to, channel: 'sms' });
  const messages = emulator.messages({ to });
  const code = messages[messages.length - 1]?.code;
  if (!code) throw new Error(`no code delivered to ${to}`);
  const check = await service.verificationChecks.create({ to, code });
  if (check.status !== 'approved') throw new Error(`check for ${to} answered ${check.status}`);
}

/** Runs `count` verifications on `concurrency` workers; returns the rate per second. */
async function batch(client: Client, emulator: Emulator, count: number, concurrency: number): Promise<number> {
  let left = count;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      await verifyOnce(client, emulator);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - t0) / 1000);
}

async function measure(client: Client, emulator: Emulator, opts: { batches: number; size: number; concurrency: number; warmup: number }) {
  emulator.reset();
  await batch(client, emulator, opts.warmup, opts.concurrency);
  const rates: number[] = [];
  for (let b = 0; b < opts.batches; b++) {
    emulator.reset();
    rates.push(await batch(client, emulator, opts.size, opts.concurrency));
  }
  return rates;
}

/** Rates: "p95" is the 5th percentile, the slow tail, so that it is the pessimistic figure. */
function rateFigure(name: string, rates: number[], size: number, target: number | null, note: string): Figure {
  const s = summarize(rates);
  const slowTail = [...rates].sort((a, b) => a - b)[Math.floor(rates.length * 0.05)];
  return {
    group: 'emulator',
    name,
    median: s.median,
    p95: slowTail,
    samples: rates.length,
    unit: '/s',
    target: target === null ? 'report' : `≥ ${target.toLocaleString('en-US')}/s`,
    pass: target === null ? null : s.median >= target,
    note: `${rates.length} batches of ${size} verifications; ${note}`,
  };
}

export interface EmulatorBenchOptions {
  batches: number;
  size: number;
  httpBatches: number;
  httpSize: number;
  httpConcurrency: number;
  /** Finished verifications left in the emulator for the "grown state" figure. */
  grownState: number;
}

export async function emulatorThroughput(options: EmulatorBenchOptions): Promise<Figure[]> {
  const figures: Figure[] = [];

  const emulator = createEmulator();
  const inProcess = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
  const rates = await measure(inProcess, emulator, { batches: options.batches, size: options.size, concurrency: 1, warmup: 300 });
  figures.push(rateFigure('in-process (create + check)', rates, options.size, IN_PROCESS_TARGET, 'one at a time'));

  // The same, after the emulator has accumulated many finished verifications and messages.
  emulator.reset();
  await batch(inProcess, emulator, options.grownState, 1);
  const grown: number[] = [];
  for (let b = 0; b < Math.max(3, Math.floor(options.batches / 2)); b++) grown.push(await batch(inProcess, emulator, options.size, 1));
  figures.push(
    rateFigure(`in-process, ${options.grownState.toLocaleString('en-US')}+ verifications in state`, grown, options.size, null, 'no reset between batches'),
  );

  // Over HTTP: count TCP connections to show the keep-alive agent reuses them.
  const agent = http.globalAgent as unknown as { keepAlive?: boolean; createConnection: (...args: unknown[]) => unknown };
  const keepAlive = agent.keepAlive;
  const create = agent.createConnection;
  let connections = 0;
  agent.createConnection = function counted(this: unknown, ...args: unknown[]) {
    connections += 1;
    return create.apply(this, args);
  };
  const server = await startEmulatorServer({ port: 0 });
  try {
    const overHttp = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, {
      httpClient: createEmulatorHttpClient(`127.0.0.1:${server.port}`, 5000) as never,
    });
    const httpRates = await measure(overHttp, server.emulator, {
      batches: options.httpBatches,
      size: options.httpSize,
      concurrency: options.httpConcurrency,
      warmup: 200,
    });
    const requests = 2 * (200 + options.httpBatches * options.httpSize);
    figures.push(
      rateFigure('over HTTP on loopback (create + check)', httpRates, options.httpSize, OVER_HTTP_TARGET,
        `${options.httpConcurrency} concurrent; keep-alive ${keepAlive ? 'on' : 'off'}: ${connections} TCP connections for ${requests} requests`),
    );
  } finally {
    agent.createConnection = create;
    await server.close();
  }
  return figures;
}
