// Live mode's baseline from history (issue 11 item 4, issue 12 §2): on connecting, the last hours are read at
// a coarser step and taken as normal operation, then the recent samples at the live step. One time grid
// cannot hold both steps (a grid at the live step would leave the history mostly gaps), so each part is
// aligned on its own grid and the two are joined in time order: the history's rows, then the live rows.
// A window is a number of rows, so a baseline window spans more time than a live one; with state clouds
// (the default for several series) a window is a set of states, which the step changes little.
import { seriesKey, type MetricFrame } from '../frame/types.ts';
import { alignFrame, type AlignResult } from '../cloud/align.ts';
import { GrowingFrame } from './growing.ts';
import { SeriesTable, type PackedSamples } from './packed.ts';
import { JoinedGrid } from './live-grid.ts';
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
 * the line there instead of drawing across hours without data. `breakRows` (> 0) puts that many rows of
 * gaps between the two in any case, just after the history's end: with more than a window's rows, no
 * window holds rows of both, and the windows between are skipped for lack of data, so a span of the history
 * (the baseline) never runs on into the live data (the timeline joins flags only across a few windows).
 */
export function joinAligned(base: AlignResult, live: AlignResult, breakRows = 0): AlignResult {
  const b = base.frame;
  const l = live.frame;
  const nb = b.timestamps.length;
  const last = nb ? b.timestamps[nb - 1] : -Infinity;
  let skip = 0;
  while (skip < l.timestamps.length && l.timestamps[skip] <= last) skip++;
  const both = nb > 0 && skip < l.timestamps.length;
  const gap = !both ? 0 : breakRows > 0 ? breakRows : l.timestamps[skip] - last > 1.5 * b.stepMs ? 1 : 0;
  const n = nb + gap + l.timestamps.length - skip;
  const timestamps = new Float64Array(n);
  timestamps.set(b.timestamps);
  if (breakRows > 0) {
    // A millisecond apart just after the history (less where the parts are that close: the times need only
    // ascend): a history window ending on one is shown where the history ends.
    const apart = Math.min(1, (l.timestamps[skip] - last) / (gap + 1));
    for (let k = 1; k <= gap; k++) timestamps[nb + k - 1] = last + k * apart;
  } else if (gap) timestamps[nb] = last + b.stepMs;
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
  /** The history joined with the live samples' grid, extended by each append. */
  readonly #joined: JoinedGrid;
  /** The live samples, and the history followed by them: appended to in place (a poll adds a few samples). */
  readonly #live: GrowingFrame;
  readonly #all: GrowingFrame;

  /** `breakRows`: rows of gaps always put between the history and the live rows (see joinAligned). */
  constructor(history: MetricFrame, live: MetricFrame, breakRows = 0) {
    this.history = history;
    this.#historyAligned = alignFrame(history);
    this.#joined = new JoinedGrid(this.#historyAligned, breakRows);
    this.#live = new GrowingFrame(live);
    this.#all = new GrowingFrame(history);
    this.#all.append(live);
  }

  /** The reference period: the history's first and last time on its grid (epoch ms, inclusive). */
  get period(): { from: number; to: number } {
    const ts = this.#historyAligned.frame.timestamps;
    return { from: ts[0], to: ts[ts.length - 1] };
  }

  /** The live samples so far. */
  get live(): MetricFrame {
    return this.#live.frame;
  }

  /** The history's step (ms). */
  get historyStepMs(): number {
    return this.#historyAligned.frame.stepMs;
  }

  /** Adds new live samples (none: the current state). */
  append(update?: MetricFrame): { frame: MetricFrame; aligned: AlignResult } {
    if (update) {
      this.#live.append(update);
      this.#all.append(update);
    }
    return this.#current();
  }

  /** Adds packed live samples, whose series `table` names. */
  appendPacked(update: PackedSamples, table: SeriesTable): { frame: MetricFrame; aligned: AlignResult } {
    this.#live.appendPacked(update, table);
    this.#all.appendPacked(update, table);
    return this.#current();
  }

  #current(): { frame: MetricFrame; aligned: AlignResult } {
    return {
      frame: this.#all.frame,
      aligned: this.#joined.join(this.#live.frame),
    };
  }
}

/** A step in words: `15 s`, `3 min`, `2 h`. */
export function stepWords(ms: number): string {
  if (ms % 3600_000 === 0) return `${ms / 3600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/**
 * Live mode's data where it is analysed (the analysis worker): the history read at a coarser step, or none,
 * and the live samples so far. Each append gives the whole frame and, with a history, its joined grid.
 */
export class LiveData {
  readonly #joined: LiveWithHistory | null;
  readonly #live: GrowingFrame | null;
  readonly #table: SeriesTable;

  /**
   * `breakRows`: rows of gaps between the history and the live rows, more than a window's (see joinAligned).
   * `table`: the series by index, as the packed updates name them.
   */
  constructor(history: MetricFrame | null, live: MetricFrame, breakRows = 0, table = new SeriesTable()) {
    this.#joined = history && history.series.length > 0 ? new LiveWithHistory(history, live, breakRows) : null;
    this.#live = this.#joined ? null : new GrowingFrame(live);
    this.#table = table;
  }

  /** The history's span, the baseline (none without a history: the default share of the data). */
  get period(): { from: number; to: number } | undefined {
    return this.#joined?.period;
  }

  /** Adds new live samples (none: the current state); `aligned` null: the pipeline aligns the frame itself. */
  append(update?: PackedSamples): { frame: MetricFrame; aligned: AlignResult | null } {
    if (update) this.#table.absorb(update);
    if (this.#joined) return update ? this.#joined.appendPacked(update, this.#table) : this.#joined.append();
    if (update) this.#live!.appendPacked(update, this.#table);
    return { frame: this.#live!.frame, aligned: null };
  }
}
