/**
 * 7. Proof tokens: what signing adds to a warm check-verify, and what a warm /jwks
 * costs. The same harness as the warm benchmark (blocks of calls, shuffled, CPU and wall time)
 * with a key generated for this run: check-verify without a key, check-verify with one (the
 * difference is the token: claims, SignJWT, ES256 through WebCrypto) and /jwks with one.
 * Cold start with signing is measured by the cold benchmark (`token:check-verify`).
 */
import { join } from 'node:path';
import { CONTEXT_ENV, SIGNING_ENV } from './fixtures';
import type { Figure } from './stats';
import { warmOverhead } from './warm-overhead';

const SIGNING_TARGET_US = 150;
const JWKS_TARGET_US = 50;

export interface ProofTokenOptions {
  functionsDir: string;
  tmpDir: string;
  rounds: number;
  block: number;
  warmup: number;
}

export async function proofTokenCost(options: ProofTokenOptions): Promise<Figure[]> {
  const file = (route: string) => join(options.functionsDir, `${route}.js`);
  const measured = await warmOverhead({
    functionsDir: options.functionsDir,
    tmpDir: options.tmpDir,
    routes: [],
    extra: [
      { label: 'no key', route: 'check-verify', file: file('check-verify'), env: CONTEXT_ENV },
      { label: 'signing', route: 'check-verify', file: file('check-verify'), env: SIGNING_ENV },
      { label: 'signing', route: 'jwks', file: file('jwks'), env: SIGNING_ENV },
    ],
    rounds: options.rounds,
    block: options.block,
    warmup: options.warmup,
    group: 'token',
    judge: false,
  });
  const find = (name: string) => {
    const figure = measured.find((f) => f.name === name);
    if (!figure) throw new Error(`proof-token bench: no figure ${name}`);
    return figure;
  };
  const figures: Figure[] = [...measured];
  for (const kind of ['wall', 'CPU'] as const) {
    const plain = find(`no key:check-verify handler, ${kind} time`);
    const signing = find(`signing:check-verify handler, ${kind} time`);
    const jwks = find(`signing:jwks handler, ${kind} time`);
    const judged = kind === 'wall';
    const signingCost = signing.median - plain.median;
    figures.push({
      group: 'token',
      name: `token signing (check-verify with a key − without), ${kind} time`,
      median: signingCost,
      p95: (signing.p95 ?? NaN) - (plain.p95 ?? NaN),
      samples: signing.samples,
      unit: 'µs',
      target: judged ? `median ≤ ${SIGNING_TARGET_US} µs` : 'report',
      pass: judged ? signingCost <= SIGNING_TARGET_US : null,
      note: `difference of medians (and of p95s) of the two handlers; with a key ${signing.median.toFixed(1)} µs, without ${plain.median.toFixed(1)} µs`,
    });
    figures.push({
      group: 'token',
      name: `/jwks handler, ${kind} time`,
      median: jwks.median,
      p95: jwks.p95,
      p99: jwks.p99,
      samples: jwks.samples,
      unit: 'µs',
      target: judged ? `median ≤ ${JWKS_TARGET_US} µs` : 'report',
      pass: judged ? jwks.median <= JWKS_TARGET_US : null,
      note: `the whole handler (config, keys from cache, response, log line); no-op handler ${jwks.baseline?.toFixed(1)} µs`,
    });
  }
  return figures;
}
