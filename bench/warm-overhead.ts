/**
 * 2. Warm overhead: time per call of a loaded handler whose Verify client stub resolves at
 * once (so what is timed is our code: config, schema, phone parsing, response, log line),
 * against a no-op handler timed the same way. Blocks of calls per handler in shuffled order.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CONTEXT_ENV, eventFor, NOOP_FUNCTION_SOURCE, requestFor, RUNTIME_STUB_SOURCE } from './fixtures';
import { baselineFigure, shuffler, summarize, type Figure } from './stats';

const WARM_P99_TARGET_US = 100;

type Callback = (error: unknown, response?: { statusCode: number }) => void;
type Handler = (context: unknown, event: unknown, callback: Callback) => unknown;

interface Runtime {
  BenchResponse: new () => unknown;
  makeVerifyStub: () => unknown;
}

const loadRuntime = (): Runtime =>
  new Function(`${RUNTIME_STUB_SOURCE}\nreturn { BenchResponse, makeVerifyStub };`)() as Runtime;

function call(handler: Handler, context: unknown, event: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    handler(context, event, (error, response) => (error ? reject(error) : resolve(response?.statusCode ?? -1)));
  });
}

export interface WarmOptions {
  functionsDir: string;
  tmpDir: string;
  routes: string[];
  /** Extra handlers measured in the same rounds, e.g. scratch bundles of a proposed change. */
  extra?: Array<{ label: string; route: string; file: string; env?: Record<string, string> }>;
  /** Figure group (default `warm`). */
  group?: string;
  /** Judge each handler against the p99 target (default true). */
  judge?: boolean;
  rounds: number;
  block: number;
  warmup: number;
}

export async function warmOverhead(options: WarmOptions): Promise<Figure[]> {
  const runtime = loadRuntime();
  (globalThis as { Twilio?: unknown }).Twilio = { Response: runtime.BenchResponse };
  const client = runtime.makeVerifyStub();
  const contextFor = (env: Record<string, string> = CONTEXT_ENV) => ({ ...env, getTwilioClient: () => client });
  const group = options.group ?? 'warm';
  const load = createRequire(__filename);
  const noopFile = join(options.tmpDir, 'noop-warm.js');
  writeFileSync(noopFile, NOOP_FUNCTION_SOURCE);

  const handlerOf = (file: string) => (load(file) as { handler: Handler }).handler;
  const subjects = [
    { name: 'noop', route: 'noop', handler: handlerOf(noopFile), context: contextFor() },
    ...options.routes.map((name) => ({
      name,
      route: name,
      handler: handlerOf(join(options.functionsDir, `${name}.js`)),
      context: contextFor(),
    })),
    ...(options.extra ?? []).map((e) => ({
      name: `${e.label}:${e.route}`,
      route: e.route,
      handler: handlerOf(e.file),
      context: contextFor(e.env),
    })),
  ];
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  const cpuSamples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  let switches = 0;

  const quiet = { log: console.log, error: console.error };
  // The log line is still built (JSON.stringify is in the handler); only the write is dropped.
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    for (const subject of subjects) {
      const event = eventFor(subject.route);
      const status = await call(subject.handler, subject.context, event);
      if (status !== requestFor(subject.route).expect)
        throw new Error(`${subject.name} answered ${status} in the warm benchmark`);
      for (let i = 0; i < options.warmup; i++) await call(subject.handler, subject.context, event);
    }
    const shuffle = shuffler(11);
    const before = process.resourceUsage().involuntaryContextSwitches;
    for (let r = 0; r < options.rounds; r++) {
      for (const subject of shuffle(subjects)) {
        const event = eventFor(subject.route);
        const list = samples.get(subject.name)!;
        const cpuList = cpuSamples.get(subject.name)!;
        for (let i = 0; i < options.block; i++) {
          // Wall time, and the process's CPU time (µs resolution on Linux): CPU time leaves out
          // the moments the OS gave the core to another process, which on a shared machine
          // is what the wall-time tail is made of.
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await call(subject.handler, subject.context, event);
          const t1 = performance.now();
          const cpu = process.cpuUsage(c0);
          list.push((t1 - t0) * 1000);
          cpuList.push(cpu.user + cpu.system);
        }
      }
    }
    switches = process.resourceUsage().involuntaryContextSwitches - before;
  } finally {
    console.log = quiet.log;
    console.error = quiet.error;
  }

  const calls = subjects.length * options.rounds * options.block;
  const figures: Figure[] = [];
  for (const [kind, map] of [
    ['CPU', cpuSamples],
    ['wall', samples],
  ] as const) {
    const base = summarize(map.get('noop')!);
    figures.push(baselineFigure(group, `no-op handler, ${kind} time (baseline)`, base, 'µs', { p99: base.p99 }));
    for (const subject of subjects.slice(1)) {
      const s = summarize(map.get(subject.name)!);
      const judged = kind === 'CPU' && options.judge !== false;
      figures.push({
        group,
        name: `${subject.name} handler, ${kind} time`,
        median: s.median,
        p95: s.p95,
        p99: s.p99,
        samples: s.samples,
        unit: 'µs',
        baseline: base.median,
        ratio: s.median / base.median,
        target: judged ? `p99 < ${WARM_P99_TARGET_US} µs` : 'report',
        pass: judged ? s.p99 < WARM_P99_TARGET_US : null,
        note:
          `over the no-op: median +${(s.median - base.median).toFixed(1)} µs, p99 +${(s.p99 - base.p99).toFixed(1)} µs` +
          (judged ? '' : `; the OS switched this process out ${switches} times in ${calls} calls`),
      });
    }
  }
  return figures;
}
