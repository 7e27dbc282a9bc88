/**
 * 4. Local stack: latency of start-verify and check-verify through twilio-run + the emulator,
 * against a no-op function served by the same twilio-run. twilio-run forks a process per
 * request, so every request also pays the function file's cold load.
 *
 * twilio-run serves a temporary project: a copy of dist/ plus noop.js, the loopback preload,
 * a .twilioserverlessrc, and a symlink to this repository's node_modules.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { NOOP_FUNCTION_SOURCE } from './fixtures';
import { baselineFigure, shuffler, summarize, type Figure } from './stats';

const STACK_TARGET_RATIO = 1.3;

export interface ServedProject {
  dir: string;
  remove(): void;
}

/** A throw-away project twilio-run can serve: dist/ + noop.js, sharing our node_modules. */
export function prepareServedProject(root: string, tmpParent: string): ServedProject {
  const dir = mkdtempSync(join(tmpParent, 'served-'));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'functions', 'noop.js'), NOOP_FUNCTION_SOURCE);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts', 'bind-loopback.cjs'), join(dir, 'scripts', 'bind-loopback.cjs'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  writeFileSync(
    join(dir, '.twilioserverlessrc'),
    JSON.stringify({ functionsFolder: 'dist/functions', assetsFolder: 'dist/assets' }),
  );
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startServedStack(project: ServedProject): Promise<LocalStack> {
  return startLocalStack({
    projectRoot: project.dir,
    port: 0,
    emulatorPort: 0,
    output: 'buffer',
    startTimeoutMs: 60000,
  });
}

interface Answer {
  status: number;
  body: { ok?: boolean; verification?: string; status?: string; error?: unknown };
}

async function post(baseUrl: string, route: string, params: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${baseUrl}/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

let sequence = 0;
/**
 * Valid US numbers (libphonenumber: FIXED_LINE_OR_MOBILE), a new one per send, each in its own
 * exchange: the rate limits (on by default) allow 10 sends per prefix in 10 minutes.
 */
const nextNumber = () =>
  `+1415${220 + (sequence++ % 70) * 10}${String(2000 + Math.floor(sequence / 70)).padStart(4, '0')}`;

export async function localStackLatency(
  stack: LocalStack,
  options: { rounds: number; warmup: number },
): Promise<Figure[]> {
  const pending: Array<{ verification: string; to: string }> = [];
  const start = async () => {
    const to = nextNumber();
    const t0 = performance.now();
    const answer = await post(stack.baseUrl, 'start-verify', { to });
    const ms = performance.now() - t0;
    if (answer.status !== 200 || !answer.body.verification)
      throw new Error(`start-verify answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    pending.push({ verification: answer.body.verification, to });
    return ms;
  };
  const check = async () => {
    const verification = pending.shift();
    if (!verification) throw new Error('no pending verification to check');
    const code = stack.emulator.messages({ to: verification.to }).at(-1)?.code;
    const t0 = performance.now();
    const answer = await post(stack.baseUrl, 'check-verify', { verification: verification.verification, code });
    const ms = performance.now() - t0;
    if (answer.status !== 200 || answer.body.status !== 'approved')
      throw new Error(`check-verify answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return ms;
  };
  const noop = async () => {
    const t0 = performance.now();
    const answer = await post(stack.baseUrl, 'noop', {});
    const ms = performance.now() - t0;
    if (answer.status !== 200 || answer.body.ok !== true) throw new Error(`noop answered ${answer.status}`);
    return ms;
  };

  for (let i = 0; i < options.warmup; i++) {
    await noop();
    await start();
    await check();
  }
  // Checks use a verification started in an earlier round, so the order can be shuffled freely.
  await start();
  const samples = { noop: [] as number[], start: [] as number[], check: [] as number[] };
  const shuffle = shuffler(5);
  for (let r = 0; r < options.rounds; r++) {
    for (const kind of shuffle(['noop', 'start', 'check'] as const)) {
      samples[kind].push(await (kind === 'noop' ? noop() : kind === 'start' ? start() : check()));
    }
  }

  const base = summarize(samples.noop);
  const figure = (name: string, values: number[]): Figure => {
    const s = summarize(values);
    const ratio = s.median / base.median;
    return {
      group: 'local-stack',
      name,
      median: s.median,
      p95: s.p95,
      samples: s.samples,
      unit: 'ms',
      baseline: base.median,
      ratio,
      target: `≤ ${STACK_TARGET_RATIO}× no-op route`,
      pass: ratio <= STACK_TARGET_RATIO,
    };
  };
  return [
    baselineFigure('local-stack', 'no-op route (baseline)', base, 'ms', {
      note: 'twilio-run forks one process per request',
    }),
    figure('start-verify', samples.start),
    figure('check-verify', samples.check),
  ];
}
