/**
 * 3. Emulator throughput: full verifications (create, read the code, check → approved) per
 * second through the real twilio SDK, in process (the emulator's own httpClient) and over
 * HTTP on loopback (the functions' emulator transport, on Node's keep-alive global agent, with
 * the emulator server in this process too: client and server share one core, a conservative
 * set-up). Each batch starts from a reset emulator; a separate figure shows the rate once the
 * emulator holds many finished verifications, as after a long `npm start` session.
 *
 * Every batch gives two rates: per wall-clock second (judged against the targets) and per
 * CPU-second of this process, all threads (GC helpers included, so it can be the lower one).
 * The baseline is the same SDK calls answered by a canned httpClient: the SDK's own cost.
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
  type HttpClientRequestOptions,
} from '../emulator';
import { createEmulatorHttpClient } from '../src/verify/emulator-http-client';
import { summarize, type Figure } from './stats';

const IN_PROCESS_TARGET = 5000;
const OVER_HTTP_TARGET = 1000;

// Verifications run untimed first, so the figures are the steady state of a long-running
// emulator rather than the SDK's and the emulator's code still being optimised by V8 (with 300,
// the later "grown state" batches ran twice as fast as the timed ones).
const IN_PROCESS_WARMUP = 3000;
const OVER_HTTP_WARMUP = 1000;

type Client = ReturnType<typeof twilio>;
/** Where the code comes from: the emulator's delivered messages, or a fixed one for the baseline. */
type CodeSource = (to: string) => string | undefined;

/**
 * Distinct valid numbers (+1 212 200-0000 onwards, 8 million of them): the emulator allows 5
 * sends per number per 10 minutes and, like Verify, refuses numbers that are not valid.
 */
let sequence = 0;
const nextNumber = () => `+1212${(2_000_000 + sequence++).toString()}`;

const codeFrom =
  (emulator: Emulator): CodeSource =>
  (to) =>
    emulator.messages({ to }).at(-1)?.code;

async function verifyOnce(client: Client, code: CodeSource): Promise<void> {
  const to = nextNumber();
  const service = client.verify.v2.services(EMULATOR_SERVICE_SID);
  await service.verifications.create({ to, channel: 'sms' });
  const delivered = code(to);
  if (!delivered) throw new Error(`no code delivered to ${to}`);
  const check = await service.verificationChecks.create({ to, code: delivered });
  if (check.status !== 'approved') throw new Error(`check for ${to} answered ${check.status}`);
}

interface Rate {
  wall: number;
  cpu: number;
}

/** Runs `count` verifications on `concurrency` workers. */
async function batch(client: Client, code: CodeSource, count: number, concurrency: number): Promise<Rate> {
  let left = count;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      await verifyOnce(client, code);
    }
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { wall: count / wall, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

interface Plan {
  batches: number;
  size: number;
  concurrency: number;
  warmup: number;
}

async function measure(client: Client, code: CodeSource, plan: Plan, reset: () => void): Promise<Rate[]> {
  reset();
  await batch(client, code, plan.warmup, plan.concurrency);
  const rates: Rate[] = [];
  for (let b = 0; b < plan.batches; b++) {
    reset();
    rates.push(await batch(client, code, plan.size, plan.concurrency));
  }
  return rates;
}

/** For rates, "p95" holds the 5th percentile: the slow tail, the pessimistic figure. */
function rateFigures(
  name: string,
  rates: Rate[],
  plan: Plan,
  target: number | 'baseline' | null,
  note: string,
): Figure[] {
  const figure = (kind: 'cpu' | 'wall'): Figure => {
    const values = rates.map((r) => r[kind]);
    const s = summarize(values);
    const slowTail = [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.05)];
    const judged = kind === 'wall' && typeof target === 'number';
    return {
      group: 'emulator',
      name: `${name}, per ${kind === 'cpu' ? 'CPU-second' : 'wall-clock second'}`,
      median: s.median,
      p95: slowTail,
      samples: values.length,
      unit: '/s',
      target: target === 'baseline' ? 'baseline' : judged ? `≥ ${target.toLocaleString('en-US')}/s` : 'report',
      pass: judged ? s.median >= target : null,
      note: `${values.length} batches of ${plan.size} verifications, ${plan.concurrency} at a time; ${note}`,
    };
  };
  return [figure('wall'), figure('cpu')];
}

/** An httpClient answering every create and check from canned emulator answers: the SDK alone. */
async function cannedClient(): Promise<{ client: Client; code: CodeSource }> {
  const emulator = createEmulator();
  const answers = new Map<string, { statusCode: number; body: string; headers: Record<string, string> }>();
  const recorder = {
    async request(options: HttpClientRequestOptions) {
      const response = await (
        emulator.httpClient as unknown as {
          request(
            o: HttpClientRequestOptions,
          ): Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
        }
      ).request(options);
      answers.set(options.uri, response);
      return response;
    },
  };
  await verifyOnce(
    twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: recorder as never }),
    codeFrom(emulator),
  );
  const canned = {
    lastResponse: undefined as unknown,
    async request(options: HttpClientRequestOptions) {
      const answer = answers.get(options.uri);
      if (!answer) throw new Error(`no canned answer for ${options.uri}`);
      canned.lastResponse = answer;
      return answer;
    },
  };
  return {
    client: twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: canned as never }),
    code: () => '123456',
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
  const inProcessPlan: Plan = {
    batches: options.batches,
    size: options.size,
    concurrency: 1,
    warmup: IN_PROCESS_WARMUP,
  };

  // Baseline: the SDK with canned answers (no emulator work at all).
  const canned = await cannedClient();
  const sdkRates = await measure(canned.client, canned.code, inProcessPlan, () => undefined);
  figures.push(
    ...rateFigures(
      'SDK alone, canned answers',
      sdkRates,
      inProcessPlan,
      'baseline',
      'the SDK’s own cost per verification',
    ),
  );

  const emulator = createEmulator();
  const inProcess = twilio(EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, { httpClient: emulator.httpClient });
  const rates = await measure(inProcess, codeFrom(emulator), inProcessPlan, () => emulator.reset());
  figures.push(...rateFigures('in-process', rates, inProcessPlan, IN_PROCESS_TARGET, 'reset before each batch'));

  // The same, after the emulator has accumulated many finished verifications and messages.
  emulator.reset();
  await batch(inProcess, codeFrom(emulator), options.grownState, 1);
  const grownPlan: Plan = { ...inProcessPlan, batches: 3 };
  const grown: Rate[] = [];
  for (let b = 0; b < grownPlan.batches; b++) grown.push(await batch(inProcess, codeFrom(emulator), options.size, 1));
  figures.push(
    rateFigures(
      `in-process, ${options.grownState.toLocaleString('en-US')}+ finished in state`,
      grown,
      grownPlan,
      null,
      'no reset between batches',
    )[0],
  );

  // Over HTTP: count TCP connections to show the keep-alive agent reuses them.
  const agent = http.globalAgent as unknown as {
    keepAlive?: boolean;
    createConnection: (...args: unknown[]) => unknown;
  };
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
    const plan: Plan = {
      batches: options.httpBatches,
      size: options.httpSize,
      concurrency: options.httpConcurrency,
      warmup: OVER_HTTP_WARMUP,
    };
    const httpRates = await measure(overHttp, codeFrom(server.emulator), plan, () => server.emulator.reset());
    const requests = 2 * (plan.warmup + plan.batches * plan.size);
    figures.push(
      ...rateFigures(
        'over HTTP on loopback',
        httpRates,
        plan,
        OVER_HTTP_TARGET,
        `client and server in one process; keep-alive ${agent.keepAlive ? 'on' : 'off'}: ${connections} TCP connections for ${requests} requests`,
      ),
    );
  } finally {
    agent.createConnection = create;
    await server.close();
  }
  return figures;
}
