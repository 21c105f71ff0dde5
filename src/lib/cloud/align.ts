// Puts every series on one shared time grid. A grid point takes the series' sample nearest to it within
// half a step; with no such sample it is a gap (NaN). Gaps are only filled when asked, and then at most
// `fillMax` steps forward, so a long outage stays visible as an outage.
import type { AlignedFrame, MetricFrame } from '../frame/types.ts';
import { counterRate, isCounter } from './counters.ts';
import { medianInPlace, quantileSorted } from './stats.ts';

export interface AlignOptions {
  /** Grid step in ms; default: the median positive spacing between consecutive samples over all series. */
  stepMs?: number;
  /** Forward-fill gaps of at most this many steps (0 = never fill; default 0). */
  fillMax?: number;
  /** Convert counters to per-second rates (default true). */
  rates?: boolean;
}

export interface AlignResult {
  frame: AlignedFrame;
  /** Keys of the series converted from counters to rates, by column index. */
  rateColumns: number[];
  /** Grid cells filled forward. */
  filled: number;
  /** Grid cells left as gaps. */
  gaps: number;
}

/** Median positive difference between consecutive timestamps over all series; NaN when there is none. */
export function detectStep(timestampsPerSeries: Float64Array[]): number {
  let total = 0;
  for (const ts of timestampsPerSeries) total += Math.max(0, ts.length - 1);
  // Millions of differences in a large fleet: a typed buffer and a selection, not an array and a sort.
  const diffs = new Float64Array(total);
  let n = 0;
  let finite = true;
  for (const ts of timestampsPerSeries) {
    for (let i = 1; i < ts.length; i++) {
      const d = ts[i] - ts[i - 1];
      if (d > 0) {
        diffs[n++] = d;
        if (d === Infinity) finite = false;
      }
    }
  }
  // The sort this replaces kept infinite differences (an infinite timestamp): then sort as before.
  return finite ? medianInPlace(diffs, n) : quantileSorted(diffs.subarray(0, n).sort(), 0.5);
}

/** Resamples one series onto `grid` (nearest sample within ±step/2, later one on a tie). */
export function resample(
  timestamps: Float64Array,
  values: Float64Array,
  grid: Float64Array,
  stepMs: number,
): Float64Array {
  const out = new Float64Array(grid.length).fill(NaN);
  resampleRows(timestamps, values, 0, grid, 0, grid.length, stepMs / 2, out);
  return out;
}

/**
 * Rows [from, to) of `resample`'s result, written into `out` (rows with no sample are left as they are).
 * `first`: an index into the samples at or before the first one near grid[from] (live mode resumes there).
 */
export function resampleRows(
  timestamps: Float64Array,
  values: Float64Array,
  first: number,
  grid: Float64Array,
  from: number,
  to: number,
  half: number,
  out: Float64Array,
): void {
  let j = first;
  // An earlier sample may still be the nearest to the first row.
  while (j > 0 && timestamps[j - 1] >= grid[from] - half) j--;
  for (let g = from; g < to; g++) {
    const t = grid[g];
    while (j < timestamps.length && timestamps[j] < t - half) j++;
    let best = -1;
    let bestDist = Infinity;
    for (let k = j; k < timestamps.length && timestamps[k] < t + half; k++) {
      const d = Math.abs(timestamps[k] - t);
      if (Number.isFinite(values[k]) && d <= bestDist) {
        best = k;
        bestDist = d;
      }
    }
    if (best >= 0) out[g] = values[best];
  }
}

function sameTimes(timestamps: Float64Array, grid: Float64Array): boolean {
  if (timestamps.length !== grid.length) return false;
  for (let i = 0; i < grid.length; i++) if (timestamps[i] !== grid[i]) return false;
  return true;
}

/** resample() turns ±Infinity into a gap, so a column holding one cannot be shared as it is. */
function hasInfinity(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === Infinity || values[i] === -Infinity) return true;
  return false;
}

/** Forward-fills runs of at most `maxSteps` NaN after a finite value; longer runs stay gaps. Returns cells filled. */
export function fillForward(column: Float64Array, maxSteps: number): number {
  if (maxSteps <= 0) return 0;
  let filled = 0;
  let i = 0;
  while (i < column.length) {
    if (Number.isFinite(column[i]) || i === 0 || !Number.isFinite(column[i - 1])) {
      i++;
      continue;
    }
    let end = i;
    while (end < column.length && !Number.isFinite(column[end])) end++;
    if (end - i <= maxSteps && end < column.length) {
      column.fill(column[i - 1], i, end);
      filled += end - i;
    }
    i = end;
  }
  return filled;
}

export function alignFrame(frame: MetricFrame, opts: AlignOptions = {}): AlignResult {
  const series = frame.series.filter((s) => s.timestamps.length > 0);
  if (series.length === 0) throw new Error('the input has no samples: nothing to align');
  const stepMs = opts.stepMs ?? detectStep(series.map((s) => s.timestamps));
  if (!(stepMs > 0)) {
    throw new Error(
      'cannot detect a sampling step: every series has a single timestamp; a file needs at least two times of one series',
    );
  }
  let start = Infinity;
  let end = -Infinity;
  for (const s of series) {
    start = Math.min(start, s.timestamps[0]);
    end = Math.max(end, s.timestamps[s.timestamps.length - 1]);
  }
  const rows = Math.floor((end - start) / stepMs + 1e-9) + 1;
  const grid = new Float64Array(rows);
  for (let i = 0; i < rows; i++) grid[i] = start + i * stepMs;

  const rateColumns: number[] = [];
  let filled = 0;
  let gaps = 0;
  const columns = series.map((s, j) => {
    let values = s.values;
    if (opts.rates !== false && isCounter(s)) {
      values = counterRate(s.timestamps, s.values);
      rateColumns.push(j);
    }
    // A series that already sits on every grid point (a regular wide CSV) is its own column: sharing the
    // values saves a copy the size of the data. Both frames are read-only from here on.
    const shared = (opts.fillMax ?? 0) <= 0 && sameTimes(s.timestamps, grid) && !hasInfinity(values);
    const col = shared ? values : resample(s.timestamps, values, grid, stepMs);
    filled += fillForward(col, opts.fillMax ?? 0);
    for (let i = 0; i < col.length; i++) if (!Number.isFinite(col[i])) gaps++;
    return col;
  });
  return {
    frame: {
      timestamps: grid,
      stepMs,
      columns,
      series: series.map((s) => ({ name: s.name, labels: s.labels })),
    },
    rateColumns,
    filled,
    gaps,
  };
}
