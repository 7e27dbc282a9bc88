/**
 * 2. Warm overhead: time per call of a loaded handler whose Verify client stub resolves at
 * once (so what is timed is our code: config, schema, phone parsing, response, log line),
 * against a no-op handler timed the same way. Blocks of calls per handler in shuffled order.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CONTEXT_ENV, eventFor, NOOP_FUNCTION_SOURCE, requestFor, RUNTIME_STUB_SOURCE } from './fixtures';
import { shuffler, summarize, type Figure } from './stats';

export const WARM_P99_TARGET_US = 100;

type Callback = (error: unknown, response?: { statusCode: number }) => void;
type Handler = (context: unknown, event: unknown, callback: Callback) => unknown;

interface Runtime {
  BenchResponse: new () => unknown;
  makeVerifyStub: () => unknown;
}

const loadRuntime = (): Runtime => new Function(`${RUNTIME_STUB_SOURCE}\nreturn { BenchResponse, makeVerifyStub };`)() as Runtime;

function call(handler: Handler, context: unknown, event: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    handler(context, event, (error, response) => (error ? reject(error) : resolve(response?.statusCode ?? -1)));
  });
}

export interface WarmOptions {
  functionsDir: string;
  tmpDir: string;
  routes: string[];
  rounds: number;
  block: number;
  warmup: number;
}

export async function warmOverhead(options: WarmOptions): Promise<Figure[]> {
  const runtime = loadRuntime();
  (globalThis as { Twilio?: unknown }).Twilio = { Response: runtime.BenchResponse };
  const client = runtime.makeVerifyStub();
  const context = { ...CONTEXT_ENV, getTwilioClient: () => client };
  const load = createRequire(__filename);
  const noopFile = join(options.tmpDir, 'noop-warm.js');
  writeFileSync(noopFile, NOOP_FUNCTION_SOURCE);

  const subjects = [
    { name: 'noop', handler: (load(noopFile) as { handler: Handler }).handler },
    ...options.routes.map((name) => ({ name, handler: (load(join(options.functionsDir, `${name}.js`)) as { handler: Handler }).handler })),
  ];
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));

  const quiet = { log: console.log, error: console.error };
  // The log line is still built (JSON.stringify is in the handler); only the write is dropped.
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    for (const subject of subjects) {
      const event = eventFor(subject.name);
      const status = await call(subject.handler, context, event);
      if (status !== requestFor(subject.name).expect) throw new Error(`${subject.name} answered ${status} in the warm benchmark`);
      for (let i = 0; i < options.warmup; i++) await call(subject.handler, context, event);
    }
    const shuffle = shuffler(11);
    for (let r = 0; r < options.rounds; r++) {
      for (const subject of shuffle(subjects)) {
        const event = eventFor(subject.name);
        const list = samples.get(subject.name)!;
        for (let i = 0; i < options.block; i++) {
          const t0 = performance.now();
          await call(subject.handler, context, event);
          list.push((performance.now() - t0) * 1000);
        }
      }
    }
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
  }

  const base = summarize(samples.get('noop')!);
  const figures: Figure[] = [
    {
      group: 'warm',
      name: 'no-op handler (baseline)',
      median: base.median,
      p95: base.p95,
      p99: base.p99,
      samples: base.samples,
      unit: 'µs',
      target: 'baseline',
      pass: null,
    },
  ];
  for (const subject of subjects.slice(1)) {
    const s = summarize(samples.get(subject.name)!);
    figures.push({
      group: 'warm',
      name: `${subject.name} handler`,
      median: s.median,
      p95: s.p95,
      p99: s.p99,
      samples: s.samples,
      unit: 'µs',
      baseline: base.median,
      ratio: s.median / base.median,
      target: `p99 < ${WARM_P99_TARGET_US} µs`,
      pass: s.p99 < WARM_P99_TARGET_US,
      note: `overhead over no-op: median ${(s.median - base.median).toFixed(1)} µs, p99 ${(s.p99 - base.p99).toFixed(1)} µs`,
    });
  }
  return figures;
}
