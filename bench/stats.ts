/** One line of the results table and of bench/results.json. */
export interface Figure {
  /** Benchmark group: cold, warm, emulator, local-stack, page, deploy. */
  group: string;
  name: string;
  /** For latencies and sizes: the median. For rates (unit `/s`): the median batch rate. */
  median: number;
  /** For latencies: the 95th percentile. For rates: the 5th percentile rate (the slow tail). */
  p95: number;
  p99?: number;
  samples: number;
  unit: string;
  /** The baseline's median, measured in the same run. */
  baseline?: number;
  /** median / baseline. */
  ratio?: number;
  /** Human-readable target, e.g. "≤ 1.25× no-op"; "report" when the issue sets none. */
  target: string;
  /** null when there is no target (report-only figures). */
  pass: boolean | null;
  /** Cold load only: CPU time of the whole process, median (ms), with the no-op's. */
  cpu?: { median: number; baseline?: number; ratio?: number };
  note?: string;
}

export interface Summary {
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
  samples: number;
}

/** The row for a baseline: its own figures, no target, everything else measured against it. */
export function baselineFigure(
  group: string,
  name: string,
  s: Summary,
  unit: string,
  extra: Partial<Figure> = {},
): Figure {
  return {
    group,
    name,
    median: s.median,
    p95: s.p95,
    samples: s.samples,
    unit,
    target: 'baseline',
    pass: null,
    ...extra,
  };
}

/** Quantile with linear interpolation between closest ranks (R type 7, like numpy's default). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    mean,
    samples: sorted.length,
  };
}

/** Deterministic shuffle (mulberry32), so runs interleave the same way but not in a fixed A/B rhythm. */
export function shuffler(seed: number): <T>(items: readonly T[]) => T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
}

const round = (value: number, digits = 2): number => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

function format(value: number | undefined, unit?: string): string {
  if (value === undefined || Number.isNaN(value)) return '';
  if (unit === 'B') return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A plain-text table for stdout. */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['benchmark', 'figure', 'median', 'p95', 'n', 'unit', 'baseline', 'ratio', 'target', 'result'];
  const rows = figures.map((f) => [
    f.group,
    f.name,
    format(f.median, f.unit),
    format(f.p95, f.unit) + (f.p99 !== undefined ? ` (p99 ${format(f.p99, f.unit)})` : ''),
    String(f.samples),
    f.unit,
    format(f.baseline, f.unit),
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
    f.target,
    f.pass === null ? '—' : f.pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Rounds a figure's numbers for results.json. */
export function tidy(figure: Figure): Figure {
  const digits = figure.unit === 'B' || figure.unit === 'requests' ? 0 : 3;
  return {
    ...figure,
    median: round(figure.median, digits),
    p95: round(figure.p95, digits),
    ...(figure.p99 !== undefined ? { p99: round(figure.p99, digits) } : {}),
    ...(figure.baseline !== undefined ? { baseline: round(figure.baseline, digits) } : {}),
    ...(figure.ratio !== undefined ? { ratio: round(figure.ratio, 3) } : {}),
    ...(figure.cpu
      ? {
          cpu: {
            median: round(figure.cpu.median, 2),
            ...(figure.cpu.baseline !== undefined ? { baseline: round(figure.cpu.baseline, 2) } : {}),
            ...(figure.cpu.ratio !== undefined ? { ratio: round(figure.cpu.ratio, 3) } : {}),
          },
        }
      : {}),
  };
}
