// Live mode's time grid, extended instead of rebuilt: aligning every live sample so far and copying the
// history's rows into a new joined frame on every poll cost time in proportion to the whole session (at
// 1,000 hosts, a seventh of an update's CPU after a minute, and growing) and garbage for the collector.
// Here a poll that only appends samples on the same grid writes only the new rows; anything else (a new
// series, a counter, a sample near a row already handed out, a changed step) aligns everything again, so
// the result is always exactly alignFrame's and joinAligned's. Rows handed out are never written again.
import { seriesKey, type MetricFrame, type Series } from '../frame/types.ts';
import { alignFrame, resampleRows, type AlignResult } from '../cloud/align.ts';
import { joinAligned } from './join.ts';
import { isCounter } from '../cloud/counters.ts';

/** Room for half as much again, and at least 64 more. */
const capacityFor = (n: number) => Math.ceil(n * 1.5) + 64;

/** looksMonotonic's tallies, kept per series so that appended values extend them. */
interface Tally {
  prev: number;
  steps: number;
  rises: number;
  resets: number;
  /** A small dip was seen: never a counter. */
  dip: boolean;
}

function tallyValues(t: Tally, values: Float64Array, from: number): void {
  for (let i = from; i < values.length && !t.dip; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < 0) {
      t.dip = true;
      break;
    }
    if (Number.isFinite(t.prev)) {
      t.steps++;
      if (v > t.prev) t.rises++;
      else if (v < t.prev) {
        if (v > t.prev * 0.5) t.dip = true;
        else t.resets++;
      }
    }
    t.prev = v;
  }
}

/** isCounter's answer from a tally (the series' kind and name said nothing). */
const tallied = (t: Tally) => !t.dip && t.steps >= 8 && t.rises * 2 >= t.steps && t.resets * 20 <= t.steps;

/** Whether only the values can say if `s` is a counter (its kind and name do not decide it). */
const undecided = (s: Series) =>
  s.kind !== 'counter' && s.kind !== 'gauge' && !isCounter({ ...s, values: new Float64Array(0) });

/** Positive differences of consecutive timestamps, counted by value: their median is detectStep's. */
class StepCounts {
  readonly #counts = new Map<number, number>();
  #n = 0;

  add(ts: Float64Array, from: number): void {
    for (let i = Math.max(1, from); i < ts.length; i++) {
      const d = ts[i] - ts[i - 1];
      if (d > 0) {
        this.#counts.set(d, (this.#counts.get(d) ?? 0) + 1);
        this.#n++;
      }
    }
  }

  /** The median as medianInPlace gives it (the mean of the two middle values for an even count). */
  median(): number {
    if (this.#n === 0) return NaN;
    const pos = 0.5 * (this.#n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, this.#n - 1);
    const keys = [...this.#counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    let a = NaN;
    let b = NaN;
    for (const k of keys) {
      seen += this.#counts.get(k)!;
      if (Number.isNaN(a) && seen > lo) a = k;
      if (seen > hi) {
        b = k;
        break;
      }
    }
    return a + (b - a) * (pos - lo);
  }
}

interface Held {
  frame: MetricFrame;
  /** Samples of each series already on the grid. */
  seen: number[];
  tallies: (Tally | null)[];
  steps: StepCounts;
  stepMs: number;
  start: number;
  ts: Float64Array;
  cols: Float64Array[];
  rows: number;
  gaps: number;
  result: AlignResult;
}

/** alignFrame of a growing frame (GrowingFrame.frame: the same object while only samples are added). */
class LiveGrid {
  #held: Held | null = null;

  /** The frame on its grid; `grew`: the rows before it are those of the last call, unchanged. */
  align(frame: MetricFrame): { aligned: AlignResult; grew: number | null } {
    const h = this.#held;
    if (h && h.frame === frame) {
      const rows = this.#extend(h);
      if (rows !== null) return { aligned: h.result, grew: rows };
    }
    this.#held = this.#full(frame);
    return { aligned: this.#held.result, grew: null };
  }

  #full(frame: MetricFrame): Held {
    const result = alignFrame(frame);
    const f = result.frame;
    const rows = f.timestamps.length;
    const cap = capacityFor(rows);
    const ts = new Float64Array(cap);
    ts.set(f.timestamps);
    const cols = f.columns.map((c) => {
      const out = new Float64Array(cap);
      out.set(c);
      return out;
    });
    const steps = new StepCounts();
    for (const s of frame.series) steps.add(s.timestamps, 0);
    const tallies = frame.series.map((s) => {
      if (!undecided(s)) return null;
      const t: Tally = { prev: NaN, steps: 0, rises: 0, resets: 0, dip: false };
      tallyValues(t, s.values, 0);
      return t;
    });
    const held: Held = {
      frame,
      seen: frame.series.map((s) => s.timestamps.length),
      tallies,
      steps,
      stepMs: f.stepMs,
      start: f.timestamps[0],
      ts,
      cols,
      rows,
      gaps: result.gaps,
      result,
    };
    held.result = view(held, result);
    return held;
  }

  /** Writes the rows the appended samples add; null when they do more than add rows (align anew). */
  #extend(h: Held): number | null {
    const series = h.frame.series;
    // Series without samples, counters and rate columns are left to alignFrame.
    if (h.result.rateColumns.length > 0 || h.result.frame.columns.length !== series.length) return null;
    let end = h.start + (h.rows - 1) * h.stepMs;
    for (let j = 0; j < series.length; j++) {
      const s = series[j];
      if (s.timestamps.length === 0) return null;
      end = Math.max(end, s.timestamps[s.timestamps.length - 1]);
    }
    const half = h.stepMs / 2;
    // A new sample within half a step of a row already handed out could change it.
    for (let j = 0; j < series.length; j++) {
      const s = series[j];
      if (s.timestamps.length > h.seen[j] && s.timestamps[h.seen[j]] - half <= h.result.frame.timestamps[h.rows - 1])
        return null;
    }
    for (let j = 0; j < series.length; j++) {
      const t = h.tallies[j];
      if (t) tallyValues(t, series[j].values, h.seen[j]);
      if (t && tallied(t)) return null;
      h.steps.add(series[j].timestamps, h.seen[j]);
    }
    if (h.steps.median() !== h.stepMs) return null;
    const rows = Math.floor((end - h.start) / h.stepMs + 1e-9) + 1;
    const from = h.rows;
    if (rows > h.ts.length) {
      const cap = capacityFor(rows);
      const ts = new Float64Array(cap);
      ts.set(h.ts.subarray(0, from));
      h.ts = ts;
      h.cols = h.cols.map((c) => {
        const out = new Float64Array(cap);
        out.set(c.subarray(0, from));
        return out;
      });
    }
    for (let i = from; i < rows; i++) h.ts[i] = h.start + i * h.stepMs;
    for (let j = 0; j < series.length; j++) {
      const col = h.cols[j];
      col.fill(NaN, from, rows);
      resampleRows(series[j].timestamps, series[j].values, h.seen[j], h.ts, from, rows, half, col);
      for (let i = from; i < rows; i++) if (!Number.isFinite(col[i])) h.gaps++;
      h.seen[j] = series[j].timestamps.length;
    }
    h.rows = rows;
    h.result = view(h, h.result);
    return from;
  }
}

function view(h: Held, r: AlignResult): AlignResult {
  return {
    frame: {
      timestamps: h.ts.subarray(0, h.rows),
      stepMs: h.stepMs,
      columns: h.cols.map((c) => c.subarray(0, h.rows)),
      series: r.frame.series,
    },
    rateColumns: r.rateColumns,
    filled: r.filled,
    gaps: h.gaps,
  };
}

/** joinAligned(history, live, breakRows) as the live part grows (LiveGrid): only new live rows are copied. */
export class JoinedGrid {
  readonly #history: AlignResult;
  readonly #breakRows: number;
  readonly #grid = new LiveGrid();
  #held: {
    ts: Float64Array;
    cols: Float64Array[];
    /** The live column of each joined column (-1: the history's alone). */
    liveCol: number[];
    /** Joined row of live row 0 (live rows before `skip` are not joined). */
    offset: number;
    skip: number;
    /** Whether both parts had rows joined (else a later append could open the gap: join anew). */
    both: boolean;
    rows: number;
    result: AlignResult;
  } | null = null;

  constructor(history: AlignResult, breakRows = 0) {
    this.#history = history;
    this.#breakRows = breakRows;
  }

  join(liveFrame: MetricFrame): AlignResult {
    const { aligned: live, grew } = this.#grid.align(liveFrame);
    const h = this.#held;
    if (grew === null || !h?.both) return this.#full(live);
    const liveRows = live.frame.timestamps.length;
    const rows = h.offset + liveRows;
    if (rows > h.ts.length) {
      const cap = capacityFor(rows);
      const grow = (a: Float64Array) => {
        const out = new Float64Array(cap);
        out.set(a.subarray(0, h.rows));
        return out;
      };
      h.ts = grow(h.ts);
      h.cols = h.cols.map(grow);
    }
    const from = Math.max(grew, h.skip);
    h.ts.set(live.frame.timestamps.subarray(from), h.offset + from);
    h.cols.forEach((c, k) => {
      const j = h.liveCol[k];
      if (j >= 0) c.set(live.frame.columns[j].subarray(from), h.offset + from);
      else c.fill(NaN, h.offset + from, rows);
    });
    h.rows = rows;
    const gap = h.offset + h.skip - this.#history.frame.timestamps.length;
    h.result = {
      frame: { ...h.result.frame, timestamps: h.ts.subarray(0, rows), columns: h.cols.map((c) => c.subarray(0, rows)) },
      rateColumns: h.result.rateColumns,
      filled: this.#history.filled + live.filled,
      gaps: this.#history.gaps + live.gaps + gap * h.cols.length,
    };
    return h.result;
  }

  #full(live: AlignResult): AlignResult {
    const joined = joinAligned(this.#history, live, this.#breakRows);
    const rows = joined.frame.timestamps.length;
    const liveRows = live.frame.timestamps.length;
    const cap = capacityFor(rows);
    const copy = (a: Float64Array) => {
      const out = new Float64Array(cap);
      out.set(a);
      return out;
    };
    const liveIndex = new Map(live.frame.series.map((s, j) => [seriesKey(s), j]));
    // The live rows joined are its last ones (those after the history's end).
    let skip = 0;
    const last = this.#history.frame.timestamps.at(-1) ?? -Infinity;
    while (skip < liveRows && live.frame.timestamps[skip] <= last) skip++;
    const ts = copy(joined.frame.timestamps);
    const cols = joined.frame.columns.map(copy);
    this.#held = {
      ts,
      cols,
      liveCol: joined.frame.series.map((s) => liveIndex.get(seriesKey(s)) ?? -1),
      offset: rows - liveRows,
      skip,
      both: this.#history.frame.timestamps.length > 0 && skip < liveRows,
      rows,
      result: {
        ...joined,
        frame: { ...joined.frame, timestamps: ts.subarray(0, rows), columns: cols.map((c) => c.subarray(0, rows)) },
      },
    };
    return this.#held.result;
  }
}
