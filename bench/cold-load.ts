/**
 * 1. Cold load: a fresh `node` that requires ONE built function file and serves one request
 * with a stubbed Verify client, against the same for a no-op function file. Whole-process
 * wall time (spawn → exit), many rounds, each round in a shuffled order so drift and
 * neighbours' noise land on every file alike.
 *
 * Node's own boot (process start to the harness's first line) is the same work for every
 * file, but on a shared host it is also most of the noise: ~85 of ~95 ms, varying by tens of
 * ms between children. So each file's cold time is estimated as the run's median boot (over
 * every child) plus that file's median time after boot (wall − boot: preload, require, the
 * request, exit). A second copy of the no-op, measured like any file, shows the noise left:
 * its ratio should read 1.00.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { envFor, eventFor, NOOP_FUNCTION_SOURCE, prepareRequests, requestFor, RUNTIME_STUB_SOURCE } from './fixtures';
import { baselineFigure, shuffler, summarize, type Figure } from './stats';

const COLD_TARGET_RATIO = 1.25;
/** A second copy of the no-op file: the estimator's noise check. */
const NOOP_AGAIN = 'noop-again';
/** Routes allowed more: totp-enroll carries the QR code library (issue 13). */
const COLD_TARGET_RATIOS: Readonly<Record<string, number>> = { 'totp-enroll': 1.4 };
const coldTarget = (route: string) => COLD_TARGET_RATIOS[route] ?? COLD_TARGET_RATIO;

/** The child: nothing but the stub, the function file and one request. Prints one JSON line last. */
const childSource = (preload: readonly string[]) => `'use strict';
const started = performance.now();
// CPU time of the whole process (boot included), written as late as possible: far less
// sensitive than wall time to other processes competing for the cores.
process.on('exit', () => {
  const cpu = process.cpuUsage();
  require('node:fs').writeSync(1, '\\nBENCHCPU ' + (cpu.user + cpu.system) / 1000 + '\\n');
});
${RUNTIME_STUB_SOURCE}
// What the runtime has loaded before it requires a function (see builtinsTheRuntimeLoaded).
for (const builtin of ${JSON.stringify(preload)}) require(builtin);
const [file, eventJson, envJson] = process.argv.slice(2);
globalThis.Twilio = { Response: BenchResponse };
const client = makeVerifyStub();
const context = Object.assign(JSON.parse(envJson), { getTwilioClient: () => client });
const event = JSON.parse(eventJson);
const t0 = performance.now();
const { handler } = require(file);
const t1 = performance.now();
handler(context, event, (error, response) => {
  const t2 = performance.now();
  process.stdout.write('\\nBENCH ' + JSON.stringify({ status: error ? -1 : response.statusCode, boot: started, require: t1 - t0, serve: t2 - t1 }) + '\\n');
});
`;

/**
 * The built-in modules a function bundle requires that the Functions runtime has already loaded
 * before it requires any function: its constructGlobalScope() requires the \`twilio\` SDK first
 * (@twilio/runtime-handler, dev-runtime/route.js, called by internal/functionRunner.js before
 * \`require(functionPath)\`; the hosted runtime sets the same \`Twilio\` global), and the SDK loads
 * node:crypto among others. A real cold start never charges a function for loading those, so
 * every child (the no-op's too) loads them before the timed require. Only that intersection:
 * loading the SDK itself (~120 ms) or built-ins no function needs would shrink every ratio by
 * dilution, not measure anything.
 */
function builtinsTheRuntimeLoaded(functionsDir: string, tmpDir: string): string[] {
  const required = new Set<string>();
  for (const { file } of functionTargets(functionsDir)) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/require\("(node:[a-z_/]+)"\)/g)) required.add(name);
  }
  const probe = join(tmpDir, 'sdk-builtins.js');
  writeFileSync(
    probe,
    `const before = new Set(process.moduleLoadList);
require(${JSON.stringify(require.resolve('twilio'))});
process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)).map((m) => m.replace(/^NativeModule /, 'node:'))));`,
  );
  const child = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`could not list the built-ins the twilio SDK loads:\n${child.stderr}`);
  const loadedBySdk = new Set(JSON.parse(child.stdout) as string[]);
  return [...required].filter((name) => loadedBySdk.has(name)).sort();
}

export interface ColdTarget {
  /** Route name (file name without .js); `noop` is the baseline. */
  name: string;
  file: string;
  /** The runtime environment for this target (default: envFor(route)), e.g. with a signing key. */
  env?: Record<string, string>;
}

interface ChildRun {
  /** Spawn → exit, measured by the parent. */
  wall: number;
  cpu: number;
  status: number;
  /** Process start → the harness's first line (performance.now() there): Node's boot. */
  boot: number;
  require: number;
  serve: number;
}

/** Extra targets are named `label:route`. */
const routeOf = (target: ColdTarget) => target.name.split(':').pop() ?? target.name;

function runChild(harness: string, target: ColdTarget): ChildRun {
  const route = routeOf(target);
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [harness, target.file, JSON.stringify(eventFor(route)), JSON.stringify(target.env ?? envFor(route))],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (child.status !== 0 || !line) {
    throw new Error(`cold load of ${target.file} failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
  }
  const cpuLine = child.stdout.split('\n').find((l) => l.startsWith('BENCHCPU '));
  const parsed = JSON.parse(line.slice(6)) as Omit<ChildRun, 'wall' | 'cpu'>;
  return { wall, cpu: Number(cpuLine?.slice(9)), ...parsed };
}

export function functionTargets(functionsDir: string): ColdTarget[] {
  return readdirSync(functionsDir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => ({ name: basename(f, '.js'), file: join(functionsDir, f) }));
}

export interface ColdLoadOptions {
  functionsDir: string;
  tmpDir: string;
  rounds: number;
  /** Only these routes of functionsDir (default: all). */
  routes?: string[];
  /** Extra files to measure in the same rounds (e.g. scratch bundles of a proposed change). */
  extra?: ColdTarget[];
  group?: string;
  log?: (line: string) => void;
}

export async function coldLoad(options: ColdLoadOptions): Promise<Figure[]> {
  await prepareRequests();
  const harness = join(options.tmpDir, 'cold-harness.js');
  const noopFile = join(options.tmpDir, 'noop.js');
  const noopAgainFile = join(options.tmpDir, 'noop-again.js');
  const preload = builtinsTheRuntimeLoaded(options.functionsDir, options.tmpDir);
  options.log?.(
    `  cold: every child first loads ${preload.join(', ') || 'nothing'} (loaded by the runtime's twilio SDK before any function)`,
  );
  writeFileSync(harness, childSource(preload));
  writeFileSync(noopFile, NOOP_FUNCTION_SOURCE);
  writeFileSync(noopAgainFile, NOOP_FUNCTION_SOURCE);

  const noop: ColdTarget = { name: 'noop', file: noopFile };
  const noopAgain: ColdTarget = { name: NOOP_AGAIN, file: noopAgainFile };
  const own = functionTargets(options.functionsDir).filter((t) => !options.routes || options.routes.includes(t.name));
  const targets = [noop, noopAgain, ...own, ...(options.extra ?? [])];
  const runs = new Map<ColdTarget, ChildRun[]>(targets.map((t) => [t, []]));

  // One untimed pass warms the OS file cache for node and every file.
  for (const target of targets) {
    const run = runChild(harness, target);
    const expected = requestFor(routeOf(target)).expect;
    if (run.status !== expected)
      throw new Error(`${target.name} answered ${run.status}, expected ${expected}: the stub no longer matches`);
  }
  const shuffle = shuffler(7);
  for (let r = 0; r < options.rounds; r++) {
    for (const target of shuffle(targets)) runs.get(target)?.push(runChild(harness, target));
    if (options.log && (r + 1) % 10 === 0) options.log(`  cold: round ${r + 1}/${options.rounds}`);
  }

  // The run's boot, pooled over every child: the same work whichever file comes next.
  const children = [...runs.values()].flat();
  const boot = summarize(children.map((r) => r.boot)).median;
  const coldTime = (list: ChildRun[]) => boot + summarize(list.map((r) => r.wall - r.boot)).median;
  const noopRuns = runs.get(noop)!;
  const base = coldTime(noopRuns);
  const baseWall = summarize(noopRuns.map((r) => r.wall));
  const baseCpu = summarize(noopRuns.map((r) => r.cpu)).median;
  const group = options.group ?? 'cold';
  const figures: Figure[] = [
    {
      ...baselineFigure(group, 'no-op function (baseline)', baseWall, 'ms', { cpu: { median: baseCpu } }),
      median: base,
      note: `Node's boot ${boot.toFixed(1)} ms (median of all ${children.length} children) + after boot ${(base - boot).toFixed(1)} ms; wall time median ${baseWall.median.toFixed(1)} ms; process CPU time ${baseCpu.toFixed(1)} ms`,
    },
  ];
  for (const target of targets.slice(1)) {
    const list = runs.get(target)!;
    const median = coldTime(list);
    const ratio = median / base;
    const wall = summarize(list.map((r) => r.wall));
    const req = summarize(list.map((r) => r.require)).median;
    const serve = summarize(list.map((r) => r.serve)).median;
    const cpu = summarize(list.map((r) => r.cpu)).median;
    const check = target === noopAgain;
    figures.push({
      group,
      name: check ? 'no-op again (noise check)' : target.name,
      median,
      p95: wall.p95,
      samples: wall.samples,
      unit: 'ms',
      baseline: base,
      ratio,
      target: check ? 'report (1.00 = no noise left)' : `≤ ${coldTarget(routeOf(target))}× no-op`,
      pass: check ? null : ratio <= coldTarget(routeOf(target)),
      cpu: { median: cpu, baseline: baseCpu, ratio: cpu / baseCpu },
      note: `after boot ${(median - boot).toFixed(1)} ms (in the child: require ${req.toFixed(1)} ms, first request ${serve.toFixed(1)} ms); wall time median ${wall.median.toFixed(1)} ms = ${(wall.median / baseWall.median).toFixed(2)}× the no-op's; process CPU time ${cpu.toFixed(1)} ms = ${(cpu / baseCpu).toFixed(2)}× (medians)`,
    });
  }
  return figures;
}
