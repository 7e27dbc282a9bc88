/**
 * `npm run bench`: builds, then measures each figure of bench/README.md against a baseline
 * measured in the same run, prints a table and writes bench/tmp/results.json (git-ignored).
 *
 *   npm run bench                       everything (~3–4 minutes on 2 cores)
 *   npm run bench -- --record           everything, and replace the tracked bench/results.json
 *   npm run bench -- --only=cold,warm   some benchmarks (bench/tmp/results.partial.json)
 *   npm run bench -- --quick            fewer samples, for trying things out
 *   npm run bench -- --strict           exit 1 when a target is missed
 *   npm run bench -- --only=cold,warm --compare=patched=/tmp/copy/dist/functions
 *                                       also measure another build's functions in the same rounds
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { coldLoad, functionTargets } from './cold-load';
import { SIGNING_ENV } from './fixtures';
import { deploySize } from './deploy-size';
import { emulatorThroughput } from './emulator-throughput';
import { emulatorTotpThroughput } from './emulator-totp-throughput';
import { handleOverhead } from './handle';
import { localStackLatency, prepareServedProject, startServedStack } from './local-stack';
import { pageLoad } from './page';
import { proofTokenCost } from './proof-token';
import { reportLatency } from './report';
import { resultsPath } from './results-path';
import { renderTable, tidy, type Figure } from './stats';
import { warmOverhead } from './warm-overhead';

const WARM_ROUTES = ['start-verify', 'check-verify'];
const ALL = ['cold', 'warm', 'handle', 'token', 'emulator', 'local-stack', 'page', 'report', 'deploy'] as const;
type Bench = (typeof ALL)[number];

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const onlyArg = args.find((a) => a.startsWith('--only='));
const selected = new Set<Bench>(onlyArg ? (onlyArg.slice('--only='.length).split(',') as Bench[]) : ALL);
for (const name of selected)
  if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name}; choose from ${ALL.join(', ')}`);
const quick = flag('quick');
/** `--compare=label=dir`: another build of the functions (e.g. with a proposed change), measured alongside. */
const compare = args
  .filter((a) => a.startsWith('--compare='))
  .map((a) => {
    const [label, dir] = a.slice('--compare='.length).split('=');
    if (!label || !dir) throw new Error('--compare=label=/path/to/dist/functions');
    return { label, dir };
  });
const complete = selected.size === ALL.length && !quick && compare.length === 0;

const log = (line: string) => process.stderr.write(`${line}\n`);
if (flag('record') && !complete)
  log('--record is ignored: only a complete run (every benchmark, not --quick) replaces bench/results.json.');

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'verify-bench-'));
  const figures: Figure[] = [];
  const timings: Record<string, number> = {};
  const step = async (name: Bench | 'local-stack+page', work: () => Promise<Figure[]> | Figure[]) => {
    const t0 = Date.now();
    log(`▶ ${name}`);
    figures.push(...(await work()));
    timings[name] = Math.round((Date.now() - t0) / 100) / 10;
    log(`  ${name} done in ${timings[name]} s`);
  };
  const functionsDir = join(root, 'dist', 'functions');
  const load0 = loadavg()[0];
  try {
    if (selected.has('cold')) {
      // check-verify and /jwks again with a signing key: the cold start of a token-issuing deploy.
      const signing = ['check-verify', 'jwks'].map((route) => ({
        name: `token:${route}`,
        file: join(functionsDir, `${route}.js`),
        env: SIGNING_ENV,
      }));
      const extra = [
        ...signing,
        ...compare.flatMap(({ label, dir }) =>
          functionTargets(dir).map((t) => ({ name: `${label}:${t.name}`, file: t.file })),
        ),
      ];
      await step('cold', () => coldLoad({ functionsDir, tmpDir: tmp, rounds: quick ? 8 : 50, extra, log }));
    }
    if (selected.has('warm')) {
      await step('warm', () =>
        warmOverhead({
          functionsDir,
          tmpDir: tmp,
          routes: WARM_ROUTES,
          extra: compare.flatMap(({ label, dir }) =>
            WARM_ROUTES.map((route) => ({ label, route, file: join(dir, `${route}.js`) })),
          ),
          rounds: quick ? 10 : 40,
          block: 500,
          warmup: 2000,
        }),
      );
    }
    if (selected.has('token')) {
      await step('token', () =>
        proofTokenCost({ functionsDir, tmpDir: tmp, rounds: quick ? 10 : 40, block: 500, warmup: 2000 }),
      );
    }
    if (selected.has('handle')) {
      await step('handle', () => handleOverhead({ rounds: quick ? 10 : 40, block: 2000, warmup: 5000 }));
    }
    if (selected.has('emulator')) {
      await step('emulator', async () => [
        ...(await emulatorThroughput({
          batches: quick ? 4 : 12,
          size: 500,
          httpBatches: quick ? 4 : 10,
          httpSize: 250,
          httpConcurrency: 8,
          grownState: quick ? 5000 : 10000,
        })),
        ...(await emulatorTotpThroughput({ batches: quick ? 4 : 12, size: 500, warmup: 2000 })),
      ]);
    }
    if (selected.has('local-stack') || selected.has('page') || selected.has('report')) {
      const project = prepareServedProject(root, tmp);
      const stack = await startServedStack(project);
      try {
        if (selected.has('local-stack')) {
          await step('local-stack', () => localStackLatency(stack, { rounds: quick ? 6 : 30, warmup: 2 }));
        }
        if (selected.has('page')) {
          await step('page', () => pageLoad(`${stack.baseUrl}/index.html`, { loads: quick ? 3 : 10 }));
        }
        // Last on this stack: it seeds 10,000 attempts into the emulator.
        if (selected.has('report')) {
          await step('report', () => reportLatency(stack, { rounds: quick ? 4 : 15, warmup: 1 }));
        }
      } finally {
        await stack.close();
        project.remove();
      }
    }
    if (selected.has('deploy')) {
      await step('deploy', () => deploySize(join(root, 'dist')));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const tidied = figures.map(tidy);
  console.log(renderTable(tidied));
  const notes = tidied.filter((f) => f.note).map((f) => `  ${f.group} / ${f.name}: ${f.note}`);
  if (notes.length) console.log(`\nnotes:\n${notes.join('\n')}`);
  const judged = tidied.filter((f) => f.pass !== null);
  const missed = judged.filter((f) => f.pass === false);
  console.log(
    `\n${judged.length - missed.length}/${judged.length} targets met${missed.length ? `; missed: ${missed.map((f) => `${f.group} ${f.name}`).join(', ')}` : ''}`,
  );

  const results = {
    issue: 7,
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      loadavgAtStart: Math.round(load0 * 100) / 100,
      loadavgAtEnd: Math.round(loadavg()[0] * 100) / 100,
    },
    quick,
    benchmarks: [...selected],
    seconds: { total: Math.round((Date.now() - started) / 100) / 10, ...timings },
    figures: tidied,
  };
  const out = resultsPath(root, { complete, record: flag('record') });
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${out} (${results.seconds.total} s)`);
  if (flag('strict') && missed.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
