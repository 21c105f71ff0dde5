// Live mode's baseline from history (issue 11 item 4, issue 12 §2): on connecting, the last hours are read at
// a coarser step and taken as normal operation, then the recent samples at the live step. One time grid
// cannot hold both steps (a grid at the live step would leave the history mostly gaps), so each part is
// aligned on its own grid and the two are joined in time order: the history's rows, then the live rows.
// A window is a number of rows, so a baseline window spans more time than a live one; with state clouds
// (the default for several series) a window is a set of states, which the step changes little.
import { seriesKey, type MetricFrame } from '../frame/types.ts';
import { alignFrame, type AlignResult } from '../cloud/align.ts';
import { appendSamples } from '../frame/append.ts';
import { chooseStep } from '../prometheus/step.ts';

/** Samples per series the history is read at (a day at 1 min); the step is chosen to fit. */
export const HISTORY_POINTS = 1440;

/** The history to read before the live window: [start, end] at `stepMs`, or null when it is off. */
export function historyRange(
  nowMs: number,
  historyHours: number,
  liveStartMs: number,
  liveStepMs: number,
): { start: number; end: number; stepMs: number } | null {
  if (!(historyHours > 0)) return null;
  const start = nowMs - historyHours * 3600_000;
  const stepMs = chooseStep(historyHours * 3600_000, { minStepMs: liveStepMs, maxPoints: HISTORY_POINTS });
  // The history ends a step before the live window starts, so no time is read twice.
  const end = liveStartMs - stepMs;
  return end - start >= 2 * stepMs ? { start, end, stepMs } : null;
}

/**
 * `base` (aligned on its grid) followed by `live`'s rows after its end, series matched by key. Where time
 * passes between the two (more than 1.5 of the history's steps), one row of gaps marks it, so charts break
 * the line there instead of drawing across hours without data.
 */
export function joinAligned(base: AlignResult, live: AlignResult): AlignResult {
  const b = base.frame;
  const l = live.frame;
  const nb = b.timestamps.length;
  const last = nb ? b.timestamps[nb - 1] : -Infinity;
  let skip = 0;
  while (skip < l.timestamps.length && l.timestamps[skip] <= last) skip++;
  const gap = nb > 0 && skip < l.timestamps.length && l.timestamps[skip] - last > 1.5 * b.stepMs ? 1 : 0;
  const n = nb + gap + l.timestamps.length - skip;
  const timestamps = new Float64Array(n);
  timestamps.set(b.timestamps);
  if (gap) timestamps[nb] = last + b.stepMs;
  timestamps.set(l.timestamps.subarray(skip), nb + gap);
  // Every series of either part; one missing from a part is a gap there.
  const keys = new Map<string, { s: (typeof b.series)[number]; bj: number; lj: number }>();
  b.series.forEach((s, j) => keys.set(seriesKey(s), { s, bj: j, lj: -1 }));
  l.series.forEach((s, j) => {
    const k = seriesKey(s);
    const e = keys.get(k);
    if (e) e.lj = j;
    else keys.set(k, { s, bj: -1, lj: j });
  });
  const series: typeof b.series = [];
  const columns: Float64Array[] = [];
  const rateKeys = new Set([
    ...base.rateColumns.map((j) => seriesKey(b.series[j])),
    ...live.rateColumns.map((j) => seriesKey(l.series[j])),
  ]);
  const rateColumns: number[] = [];
  for (const [k, { s, bj, lj }] of keys) {
    const col = new Float64Array(n).fill(NaN);
    if (bj >= 0) col.set(b.columns[bj]);
    if (lj >= 0) col.set(l.columns[lj].subarray(skip), nb + gap);
    if (rateKeys.has(k)) rateColumns.push(columns.length);
    series.push(s);
    columns.push(col);
  }
  return {
    frame: { timestamps, stepMs: l.stepMs, columns, series },
    rateColumns,
    filled: base.filled + live.filled,
    gaps: base.gaps + live.gaps + gap * columns.length,
  };
}

/** The history and the live samples so far: the raw frame for the views and the model, and the joined grid. */
export class LiveWithHistory {
  readonly history: MetricFrame;
  readonly #historyAligned: AlignResult;
  #live: MetricFrame;

  constructor(history: MetricFrame, live: MetricFrame) {
    this.history = history;
    this.#historyAligned = alignFrame(history);
    this.#live = live;
  }

  /** The reference period: the history's first and last time on its grid (epoch ms, inclusive). */
  get period(): { from: number; to: number } {
    const ts = this.#historyAligned.frame.timestamps;
    return { from: ts[0], to: ts[ts.length - 1] };
  }

  /** The live samples so far. */
  get live(): MetricFrame {
    return this.#live;
  }

  /** The history's step (ms). */
  get historyStepMs(): number {
    return this.#historyAligned.frame.stepMs;
  }

  /** Adds new live samples (none: the current state). */
  append(update?: MetricFrame): { frame: MetricFrame; aligned: AlignResult } {
    if (update) this.#live = appendSamples(this.#live, update);
    return {
      frame: appendSamples(this.history, this.#live),
      aligned: joinAligned(this.#historyAligned, alignFrame(this.#live)),
    };
  }
}

/** A step in words: `15 s`, `3 min`, `2 h`. */
export function stepWords(ms: number): string {
  if (ms % 3600_000 === 0) return `${ms / 3600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
