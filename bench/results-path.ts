import { join } from 'node:path';

export interface RunKind {
  /** Every benchmark, full sample counts, nothing compared alongside. */
  complete: boolean;
  /** `--record`: the run is meant to replace the tracked figures. */
  record: boolean;
}

/**
 * Where a run writes its figures. `bench/results.json` is tracked (docs/benchmarks.md quotes it), so
 * only a complete run asked for with `--record` rewrites it; every other run goes to the
 * git-ignored bench/tmp/, and a plain `npm run bench` leaves the working tree clean.
 */
export function resultsPath(root: string, run: RunKind): string {
  if (run.complete && run.record) return join(root, 'bench', 'results.json');
  return join(root, 'bench', 'tmp', run.complete ? 'results.json' : 'results.partial.json');
}
