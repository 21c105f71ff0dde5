// Live mode's baseline from history (issue 11 item 4, issue 12 §2): on connecting, the last hours are read at
// a coarser step and taken as normal operation, then the recent samples at the live step. One time grid
// cannot hold both steps (a grid at the live step would leave the history mostly gaps), so each part is
// aligned on its own grid and the two are joined in time order: the history's rows, then the live rows.
// A window is a number of rows, so a baseline window spans more time than a live one; with state clouds
// (the default for several series) a window is a set of states, which the step changes little.
import type { MetricFrame } from '../frame/types.ts';
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

/** The history and the live samples so far: the raw frame for the views and the model, and the joined grid. */
export class LiveWithHistory {
  readonly history: MetricFrame;
  readonly #historyAligned: AlignResult;
  /** The history joined with the live samples' grid, extended by each append. */
  readonly #joined: JoinedGrid;
  /** The live samples, and the history followed by them: appended to in place (a poll adds a few samples). */
  readonly #live: GrowingFrame;
  readonly #all: GrowingFrame;

  /** `breakRows`: rows of gaps always put between the history and the live rows (see joinAligned in join.ts). */
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
   * `breakRows`: rows of gaps between the history and the live rows, more than a window's (see joinAligned in join.ts).
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
