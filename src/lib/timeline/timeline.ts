// The anomaly timeline driver: plans windows over an aligned frame, sends them in batches to a
// WindowRunner, takes results back in order, scores them against the baseline and groups flags into
// attributed spans. It keeps its state between calls, so in live mode, when rows are appended, only
// the windows that end on new rows are computed.
//
// Baseline: the first `baselineFraction` of the rows (at least a few windows) is taken as normal
// operation. Normalisation is fitted on it, the delay embedding is chosen on it, and its windows'
// diagrams are compared pairwise: the medoid (the window closest, in W2, to all the others) becomes the
// reference every later window is measured against. A medoid is a real diagram of this system, so it
// needs no averaging of diagrams, and an odd window in the training span cannot become the reference.
// A trailing reference would follow a slow fault until it looked normal; a fixed one does not.
//
// Clouds: each series is scaled by its own sample-to-sample noise (normalise 'noise') and lightly
// smoothed, so that in a state cloud of many series the flat, noisy ones do not blur the few that trace
// a shape (measured on the generated fleets in test/unit/timeline.test.ts: with robust scaling the
// phase break of two series among four was not separable from noise; with noise scaling it is).
//
// Awkward inputs. A series with no data in the baseline span (empty, or starting later) is left out of
// every cloud and named in the notes; a series with too little data in one window (a host that died) is
// left out of that window only, and the window is compared with the reference with the same series left
// out, so one dead series never voids the fleet. In a state cloud each series' excursion from the
// window's median is softly saturated beyond its usual range (window.ts), so one trending series cannot
// turn every cloud into a line. Clouds wider than 64
// coordinates are randomly projected to 32 (cloud/project.ts). Inputs too short for the configured window
// get a smaller window and stride, said in the notes. Baseline windows that are outliers among the
// baseline's own windows are kept out of the scorer's reference, and baseline windows are scored and
// flaggable like any other.
//
// Scoring (score.ts): per homology dimension, the robust z of log W2 to the reference, the largest one,
// averaged over the last 3 windows; fused with a level-jump statistic that persistent homology is blind
// to (a shift that keeps the shape). Threshold 4 and a span of at least 2 windows were chosen on the
// NAB evaluation (scripts/eval-timeline.ts), which prints the figures and the ablations.
//
// Level statistic (level.ts; option fuseLevel, OFF by default): each series' newest `stride` rows in
// robust z of its baseline, largest and second largest over the series, held for `average` windows; a
// window it flags dates its onset from those rows. On the SMD dev machines (scripts/eval-smd.ts; nothing
// there was tuned on SMD) at threshold 4 it lifts pooled event recall 0.42 → 0.81, point F1 0.25 → 0.32,
// delay p50/p90 9/43 → 7/13 min, but false spans/day 0.93 → 2.13; choosing among 14 settings by
// leave-one-machine-out gives held-out recall 0.64 at 1.98 false spans/day, F1 0.23 (machines differ too
// much for a choice on two to carry to the third). On NAB's test half (threshold 3.5 chosen on the tuning
// half) recall stays 0.84 and false spans/day rise 0.24 → 0.42. Hence off: it catches short events and
// catches them early, but not within the false-span budget. Spans' rankings (TimelineOutput.rankings: level
// z share + leave-one-out share) lift SMD HitRate@100% of the default from 0.26 to 0.59.
//
// Fast scale (level.ts fastLevel; option fast: 'auto' by default, on when the baseline spans a day or more
// over two series or more). The long window needs a whole window to see a new shape and its score is
// averaged over 3 windows, so SMD's 2–3 minute events were diluted. Beside it, each of a window's newest
// `stride` rows is read on its own: per series the mean of its last `fastRun` (3) rows in baseline robust
// z; the row's value is the second largest over the series (two metrics at once), or the largest scaled
// by fastThreshold / fastSingle (one metric alone, ten times as far). Above `fastThreshold` it flags the
// window alone (the span needs no second window) and dates the onset to the row; with fastCentre 'both' a
// span opens only on a row that is also off the median of the window before it (news), and goes on while
// rows stay off the baseline. Spans then rank series by their largest deviation over the span in units of
// max(robust scale, SD) (level.ts spanDeviation; the leave-one-out drop breaks ties). A series constant
// through the baseline (SD 0: no scale to read a move in, its z the cap as soon as it moves, as an error
// counter going 0 → 1) may not flag alone; it still counts beside a second series (LevelBaseline.varied).
// The SMD figures below are the same with that rule to the printed precision (rerun after it).
// SMD (scripts/eval-smd.ts), leave-one-machine-out over 46 settings, held-out pooled: event recall 0.88 at
// 0.99 false spans/day, point F1 0.65, delay p50/p90 7/13 min, HitRate@100/150% 0.86/0.93 (chosen
// everywhere: topology threshold 12, i.e. the long window nearly silent; machine-1-7 alone 1.52/day,
// most of it a daily 02:00 burst of m9/m10 that its train half also holds). At the default threshold 4:
// held out 0.88 at 1.46/day, F1 0.47 (fast off: 0.42 at 0.93, F1 0.25). The forms (3-row mean, second
// largest, news, one series alone, the span ranking) were designed looking at all three dev machines; the
// fast defaults (15, alone 150) are the same rule's pick on all three (in-sample). On NAB's single series
// 'auto' is off; forced on, the test half is unchanged (recall 0.84, 0.23 false spans/day). On a
// generated fleet (scripts/eval-fleet.ts 100 11) forced on raises false spans per host-day 0.032 → 0.054:
// a 4-hour baseline does not hold a day's cycle, hence the day rule. With a day of baseline (aura synth
// --hosts 100 --hours 72 --seed 21, baseline 30 h; one fleet, no choice made on it) host spans outside the
// injected events stay 0 with it on (measured then: a network saturation flagged 30 min after onset, not
// 140; re-measured with `aura analyze --baseline-to 2026-01-06T06:00:00Z`: 130 min, disk fill 29 min,
// the same with --no-fast).
// Threshold 12 stays out of the defaults though every SMD fold picks it with the fast scale on: SMD's
// labels are minutes-long events, and the long window exists for slow failures. On generated fleets with
// a 30-h baseline (scripts/eval-fast-threshold.ts: 100 hosts × 72 h, seeds 21, 22, 31, no threshold chosen
// on them, but 21 and 22 were read while settling `sustained`'s form below; fast on) threshold 4 raised
// host spans for 10 of 18 failures, every memory leak (4, 190–450 min after onset) and disk fill (3,
// 20–29 min), with no host span outside the injected events (2 on benign look-alikes); at 6 it was 6 of
// 18 (one leak; disk fills 30, 195 min, one missed), at 8 and 12 5 of 18 (no leak; disk fills 195, 430
// min, one missed).
// Sustained (option `sustained`, 2 with the fast scale on): of SMD's false spans at the default, 27 of 68
// (in-sample) came from the long window alone and were 2–3-window spans whose windows but one were under
// the threshold on their own score: one odd window spread over three by the average (only 1 of 61 true
// spans was of that kind). So a span the fast scale did not flag needs two windows past the threshold on
// their own, its flagged ones or the two before it (their scores are in its average). Held out (LOMO over
// the fast thresholds, sustained 2): recall 0.88 at 1.01 false spans/day, F1 0.56 (was 1.46, F1 0.47);
// sustained 3, which every fold would pick (0.99/day), loses every memory leak on the 30-h fleets above.
// There, at 2, the 10 failures flagged stay flagged before failure; a disk fill's onset is one odd window
// too and is flagged 119 min after onset instead of 29 (seed 31), one leak 10 min later. Counting the
// windows before the span was added after reading those leaks' traces (seeds 21, 22), which the first
// form, flagged windows only, delayed past failure.
import type { AlignedFrame } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';
import type { Diagram } from '../tda/types.ts';
import type { AnalysisSettings, AnomalySpan, TimelinePoint } from '../report/types.ts';
import {
  applyScaling,
  finiteCount,
  normaliseColumn,
  saturationLimit,
  smoothTrailing,
  type NormaliseMethod,
  type Scaling,
} from '../cloud/normalise.ts';
import { PROJECT_ABOVE, PROJECT_TO } from '../cloud/project.ts';
import { chooseEmbedding, embeddingLookback, type Embedding } from '../cloud/takens.ts';
import { sliceRows, stepsFor } from '../cloud/windows.ts';
import type { WindowRunner } from './runner.ts';
import {
  combinedW2,
  leaveKey,
  type WindowConfig,
  type WindowDistances,
  type WindowResult,
  type WindowTask,
} from './window.ts';
import { DimensionScorer, groupSpans, type FlaggedWindow } from './score.ts';
import { fastLevel, fitLevelBaseline, spanDeviation, tailLevels, topTwo, type LevelBaseline } from './level.ts';

export interface TimelineOptions {
  /** Window width in samples (points per state cloud, or embedding vectors per delay cloud). */
  window: number;
  /** Samples between window ends. */
  stride: number;
  /** Width and stride as durations; when given they override the sample counts. */
  windowMs?: number;
  strideMs?: number;
  /** `state` by default when there are several series, `takens` for a single one. */
  cloud?: 'state' | 'takens';
  maxDim: number;
  normalise: NormaliseMethod;
  /** Share of the rows (from the start) taken as normal operation. */
  baselineFraction: number;
  /** Rows taken as normal operation; overrides the fraction (live mode: fix it before data arrives). */
  baselineRows?: number;
  /** Robust z above which a window is flagged. */
  threshold: number;
  /** Windows whose raw scores are averaged into a window's score. */
  average: number;
  /** Size of the scorer's trailing reference, in windows. */
  trailing: number;
  /** Flagged windows a span needs; fewer are withdrawn as noise. */
  minSpanWindows: number;
  /**
   * With the fast scale on, windows whose own score (before the average over `average` windows) passed the
   * threshold that a span needs when the fast scale flagged none of its windows, counted over its windows
   * and the ones in its first window's average; 0: no such rule. Short events are the fast scale's; the
   * average spreads one odd window over three, so without this the two-window rule passes blips (score.ts
   * groupSpans). Such a span is dated when it met the rule.
   */
  sustained: number;
  /** Unflagged windows allowed inside one span. */
  mergeGap: number;
  /** Which distances to the baseline the score uses, per homology dimension. */
  scoreOn: 'w2' | 'bottleneck' | 'both';
  /** Fuse the level-jump statistic (window.ts levelJump) into the score, next to the diagram distances. */
  fuseJump: boolean;
  /**
   * Fuse the baseline-relative level statistic (level.ts: the newest `stride` rows of each series in
   * robust z-units of its baseline; the largest and second largest over the series) into the score.
   */
  fuseLevel: boolean;
  /**
   * What the level statistic measures the tail against: the baseline's median, or the median of the rest
   * of the window (the scale is the baseline's either way).
   */
  levelCentre: 'baseline' | 'window';
  /**
   * The fast scale beside the long window (level.ts fastLevel): each of a window's newest `stride` rows is
   * scored on its own against the baseline, and a row where two series sit beyond `fastThreshold` flags
   * the window by itself, with the onset dated to that row. `auto`: on when the baseline spans at least
   * FAST_AUTO_BASELINE_MS and holds two or more series (fastAuto).
   */
  fast: boolean | 'auto';
  /** Baseline robust z (level.ts units) that two series must exceed at once for the fast scale to flag. */
  fastThreshold: number;
  /** Rows averaged per series before a row is read by the fast scale (one-sample glitches do not count). */
  fastRun: number;
  /**
   * What the fast scale measures a row against: the baseline only, or both the baseline and the median of
   * the window before the newest rows (the smaller deviation counts, so a held level stops being news).
   */
  fastCentre: 'baseline' | 'both';
  /**
   * Baseline robust z at which one series alone is enough for the fast scale (two must pass
   * `fastThreshold` otherwise); Infinity: never alone.
   */
  fastSingle: number;
  /** Trailing moving average (samples) applied to every normalised series before clouds are built; 1 = none. */
  smooth: number;
  /** Clouds above this size are landmarked. */
  maxPoints: number;
  /** A window needs this share of complete points, else it is skipped and reported. */
  minValidFraction: number;
  /** Series named per span, at most. */
  attributeTop: number;
}

export const DEFAULT_TIMELINE_OPTIONS: TimelineOptions = {
  window: 60,
  stride: 10,
  maxDim: 1,
  normalise: 'noise',
  baselineFraction: 0.15,
  threshold: 4,
  average: 3,
  trailing: 200,
  minSpanWindows: 2,
  sustained: 2,
  mergeGap: 2,
  smooth: 4,
  scoreOn: 'w2',
  fuseJump: true,
  fuseLevel: false,
  levelCentre: 'baseline',
  fast: 'auto',
  fastThreshold: 15,
  fastRun: 3,
  fastCentre: 'both',
  fastSingle: 150,
  maxPoints: 200,
  minValidFraction: 0.8,
  attributeTop: 5,
};

export interface TimelineProgress {
  done: number;
  total: number;
  phase: 'baseline' | 'windows' | 'attribution';
}

export interface TimelineRunOptions {
  signal?: AbortSignal;
  onProgress?(p: TimelineProgress): void;
  /** Each new point, in time order, as soon as it and all before it are known. */
  onPoint?(p: TimelinePoint): void;
}

export interface TimelineOutput {
  settings: AnalysisSettings;
  points: TimelinePoint[];
  anomalies: AnomalySpan[];
  skipped: { t: number; reason: string }[];
  baseline: { start: number; end: number; windows: number; reference: number } | null;
  embedding: Embedding | null;
  /** Windows whose cloud was reduced to landmarks. */
  landmarked: number;
  /** Why there is no timeline yet (too little data), else null. */
  pending: string | null;
  /** What the reader should know about how the input was handled: series left out, settings adapted. */
  notes: string[];
  /**
   * Per anomaly (same order), every scored series ranked by how much it explains the span: its share of
   * the largest baseline-relative level z in the span plus its share of the largest leave-one-out drop.
   * `series` on the span stays the short list people read; evaluations rank with this.
   */
  rankings?: string[][];
}

/**
 * With `fast: 'auto'`, the fast scale is on when the baseline spans at least this long: it reads each row
 * against the baseline's range, and a baseline shorter than a day cannot hold the day's cycle (a fleet with a
 * 4-hour baseline: false spans per host-day 0.032 → 0.054 with it on, scripts/eval-fleet.ts 100 11).
 */
export const FAST_AUTO_BASELINE_MS = 86_400_000;

/** `fast: 'auto'` resolved: a baseline of a day or more, and two series or more (the statistic pairs them). */
export function fastAuto(baselineMs: number, series: number): boolean {
  return baselineMs >= FAST_AUTO_BASELINE_MS && series >= 2;
}

/** Baseline windows the medoid and the scorer's reference need. */
const MIN_BASELINE_WINDOWS = 4;
/** Windows after the baseline a shortened window must still leave to score. */
const MIN_SCORED_WINDOWS = 3;
/** Baseline windows needed before the baseline's own windows can be flagged. */
const MIN_FLAGGABLE_BASELINE = 8;
/** Narrowest window a short input is given: fewer points carry no shape worth comparing. */
const MIN_WIDTH = 16;

interface Prepared {
  keys: string;
  /** The fast scale, on or off for this baseline (`auto` resolved). */
  fast: boolean;
  anchor: number;
  stepMs: number;
  width: number;
  stride: number;
  lookback: number;
  scalings: Scaling[];
  /** Columns with no data in the baseline span: left out of every window. */
  leftOut: number[];
  /** Reference diagrams per leave-out set (leaveKey), computed from the reference window on demand. */
  references: Map<string, Diagram[]>;
  baselineRows: number;
  notes: string[];
  config: WindowConfig;
  embedding: Embedding | null;
  baselineDiagrams: Diagram[];
  referenceTask: WindowTask;
  baseline: { start: number; end: number; windows: number; reference: number };
  scorer: DimensionScorer;
  /** Per series median and scale over the baseline span, for the level statistic and the ranking. */
  levels: LevelBaseline;
}

/** A window to compute: where its rows are; the block itself is cut only when it is sent. */
interface Planned {
  key: number;
  /** Timestamp of the window's first point (lookback excluded). */
  start: number;
  /** First row read (lookback included) and row count. */
  from: number;
  rows: number;
  columns: Float64Array[];
  leaveOut: number[];
  /** Row of the window's last point in the frame it was planned on. */
  last: number;
  /** Timestamp of the first of the newest `stride` rows: where a change the level statistic sees begins. */
  tailStart: number;
  /** The window's number on the grid of window ends: skipped windows count, so a span does not join across them. */
  seq: number;
}

function taskOf(w: Planned, leaveOut = w.leaveOut): WindowTask {
  const task: WindowTask = { key: w.key, rows: w.rows, block: sliceRows(w.columns, w.from, w.from + w.rows - 1) };
  if (leaveOut.length) task.leaveOut = leaveOut;
  return task;
}

/** "a, b, c and 4 more" */
function nameList(names: string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Index of the first of the ascending `times` at or after `t` (times.length when none). */
function rowAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of timestamp `t` in the ascending `times`, or -1. */
function rowOf(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] === t) return mid;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * With the fast scale on, the leave-one-out drop only breaks ties in the ranking: the per-series
 * baseline-relative deviation read row by row names the metrics better (SMD dev machines, in-sample:
 * HitRate@100% 0.60 with the drop at full weight, 0.75 with this; better or equal on each machine).
 */
export const FAST_DROP_WEIGHT = 0.01;

/**
 * Series ranked by their share of the largest level z plus `dropWeight` × their share of the largest
 * leave-one-out drop (each share in [0, 1]): a level shift and a change of shape both put a series near
 * the top. Series left out of the timeline (scale 0) are not ranked.
 */
export function rankSeries(
  levels: ArrayLike<number>,
  drops: ArrayLike<number>,
  fit: LevelBaseline,
  dropWeight = 1,
): number[] {
  const maxOf = (xs: ArrayLike<number>) => {
    let m = 0;
    for (let j = 0; j < xs.length; j++) if (fit.scale[j] > 0 && Number.isFinite(xs[j]) && xs[j] > m) m = xs[j];
    return m;
  };
  const zMax = maxOf(levels);
  const dMax = maxOf(drops);
  const share = (x: number, top: number) => (top > 0 && Number.isFinite(x) ? Math.max(0, x) / top : 0);
  const score = Array.from(levels, (z, j) => share(z, zMax) + dropWeight * share(drops[j], dMax));
  return score
    .map((_, j) => j)
    .filter((j) => fit.scale[j] > 0)
    .sort((a, b) => score[b] - score[a] || a - b);
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

export class AnomalyTimeline {
  readonly options: TimelineOptions;
  private prepared: Prepared | null = null;
  private points: TimelinePoint[] = [];
  private starts: number[] = [];
  private rawFlags: boolean[] = [];
  /** Per point: flagged by the fast scale (a span holding one needs no second window). */
  private sure: boolean[] = [];
  /** Per point: its window's number on the grid (Planned.seq). */
  private seqs: number[] = [];
  /** Per point: its own raw score, before the average over windows, passed the threshold. */
  private owns: boolean[] = [];
  private skipped: { t: number; reason: string }[] = [];
  private landmarked = 0;
  private lastKey = -Infinity;
  private attribution = new Map<number, { series: string[]; ranking: string[] }>();
  /** Per column left out of some windows (beyond the baseline's left-outs): how many, first and last. */
  private absent = new Map<number, { windows: number; first: number; last: number }>();

  constructor(
    private readonly runner: WindowRunner,
    options: Partial<TimelineOptions> = {},
  ) {
    this.options = { ...DEFAULT_TIMELINE_OPTIONS, ...options };
  }

  /** Forgets everything: the next update starts with a new baseline. */
  reset(): void {
    this.prepared = null;
    this.points = [];
    this.starts = [];
    this.rawFlags = [];
    this.sure = [];
    this.seqs = [];
    this.owns = [];
    this.skipped = [];
    this.landmarked = 0;
    this.lastKey = -Infinity;
    this.attribution.clear();
    this.absent.clear();
  }

  async update(frame: AlignedFrame, run: TimelineRunOptions = {}): Promise<TimelineOutput> {
    const keys = frame.series.map(seriesKey).join('\n');
    if (this.prepared && (this.prepared.keys !== keys || this.prepared.stepMs !== frame.stepMs)) this.reset();
    if (!this.prepared) {
      const why = await this.prepare(frame, keys, run);
      if (why) return this.output(frame, why);
    }
    const p = this.prepared!;
    const columns = this.cloudColumns(frame);
    const fresh = this.plan(frame, columns).filter((w) => w.key > this.lastKey);
    const total = fresh.length;
    let done = 0;
    await this.references(fresh, run.signal);
    await this.dispatch(fresh, p.baselineDiagrams, run.signal, (task, result) => {
      done++;
      this.accept(frame, task, result, run);
      if (done % 16 === 0 || done === total) run.onProgress?.({ done, total, phase: 'windows' });
    });
    await this.attribute(frame, columns, run);
    return this.output(frame, null);
  }

  /** The columns clouds are built from: scaled as fitted on the baseline, saturated, smoothed. */
  private cloudColumns(frame: AlignedFrame): Float64Array[] {
    const p = this.prepared!;
    return frame.columns.map((c, j) => smoothTrailing(applyScaling(c, p.scalings[j]), this.options.smooth));
  }

  /**
   * Window and stride for `rows` samples: the configured ones when they fit, else the widest window (same
   * stride ratio, at least MIN_WIDTH) that leaves a baseline and a few windows to score. Null when even
   * the narrowest does not fit, with what it needs.
   */
  private fit(
    rows: number,
    width: number,
    stride: number,
    cloud: 'state' | 'takens',
  ): { width: number; stride: number; minRows: number } | { need: number; width: number; stride: number } {
    const lookback = (w: number) => (cloud === 'takens' ? 4 * Math.max(1, Math.floor(w / 4)) : 0);
    const baselineRows = (w: number, s: number) => lookback(w) + w + (MIN_BASELINE_WINDOWS - 1) * s;
    if (rows >= baselineRows(width, stride) + stride) {
      return { width, stride, minRows: baselineRows(width, stride) };
    }
    // Fixed baselines (live mode) keep their settings: a window chosen for the first minutes would stay.
    const adapt = this.options.baselineRows === undefined;
    const strideFor = (w: number) => Math.max(1, Math.round((w * stride) / width));
    if (adapt) {
      for (let w = width - 1; w >= Math.min(MIN_WIDTH, width); w--) {
        const s = strideFor(w);
        if (rows >= baselineRows(w, s) + MIN_SCORED_WINDOWS * s)
          return { width: w, stride: s, minRows: baselineRows(w, s) };
      }
    }
    const w = adapt ? Math.min(MIN_WIDTH, width) : width;
    const s = adapt ? strideFor(w) : stride;
    return { need: baselineRows(w, s) + (adapt ? MIN_SCORED_WINDOWS : 1) * s, width: w, stride: s };
  }

  /** Fits normalisation and embedding on the baseline span, computes its windows and picks the medoid. */
  private async prepare(frame: AlignedFrame, keys: string, run: TimelineRunOptions): Promise<string | null> {
    const o = this.options;
    const rows = frame.timestamps.length;
    const m = frame.columns.length;
    if (m === 0) return 'the input has no series';
    const names = frame.series.map(seriesKey);
    const notes: string[] = [];
    const empty = frame.columns.map((c, j) => (finiteCount(c) === 0 ? j : -1)).filter((j) => j >= 0);
    if (empty.length === m) return `no series has any data (${nameList(names)}): there is nothing to analyse`;
    if (empty.length) notes.push(`no data at all, left out of the timeline: ${nameList(empty.map((j) => names[j]))}`);
    const cloud = o.cloud ?? (m - empty.length === 1 ? 'takens' : 'state');
    const asked = {
      width: o.windowMs ? stepsFor(o.windowMs, frame.stepMs, 2) : o.window,
      stride: o.strideMs ? stepsFor(o.strideMs, frame.stepMs, 1) : o.stride,
    };
    const fit = this.fit(rows, asked.width, asked.stride, cloud);
    if ('need' in fit) {
      const minutes = ((fit.need - rows) * frame.stepMs) / 60e3;
      return (
        `not enough data yet: ${rows} samples, at least ${fit.need} are needed (window ${fit.width}, stride ${fit.stride}: ` +
        `a baseline of ${MIN_BASELINE_WINDOWS} windows and more to score); ${fit.need - rows} more samples ` +
        `(${minutes < 120 ? `${Math.ceil(minutes)} min` : `${(minutes / 60).toFixed(1)} h`} at this step)`
      );
    }
    const { width, stride, minRows } = fit;
    if (width !== asked.width) {
      notes.push(
        `short input (${rows} samples): window ${asked.width} → ${width} samples, stride ${asked.stride} → ${stride}, ` +
          `so that a baseline of ${MIN_BASELINE_WINDOWS} windows and at least ${MIN_SCORED_WINDOWS} more fit`,
      );
    }
    const baselineRows = Math.min(rows, Math.max(minRows, o.baselineRows ?? Math.floor(o.baselineFraction * rows)));
    // Series with (almost) no data in the baseline have nothing to be compared with: left out everywhere.
    const leftOut: number[] = [];
    frame.columns.forEach((c, j) => {
      if (empty.includes(j)) leftOut.push(j);
      else if (finiteCount(c, 0, baselineRows) < o.minValidFraction * baselineRows) {
        leftOut.push(j);
        notes.push(
          `${names[j]} has too little data in the baseline span (until ${iso(frame.timestamps[baselineRows - 1])}): ` +
            `left out of the timeline, there is nothing to compare it with`,
        );
      }
    });
    if (leftOut.length === m)
      return `no series has enough data in the baseline span (the first ${baselineRows} samples)`;
    const scalings: Scaling[] = [];
    const normalised = frame.columns.map((c) => {
      const { values, scaling } = normaliseColumn(c, o.normalise, 0, baselineRows);
      scalings.push(scaling);
      return values;
    });
    const limits =
      cloud === 'state' && m - leftOut.length > 1 ? normalised.map((v) => saturationLimit(v, 0, baselineRows)) : null;
    const columns = normalised.map((v) => smoothTrailing(v, o.smooth));
    let embedding: Embedding | null = null;
    if (cloud === 'takens') {
      const maxDelay = Math.max(1, Math.floor(width / 4));
      const choices = columns.map((c, j) =>
        leftOut.includes(j)
          ? { delay: 1, dim: 1 } // zeros in every window: the cheapest embedding
          : chooseEmbedding(c.subarray(0, baselineRows), { maxDelay, maxDim: 4 }),
      );
      embedding = { delay: choices.map((c) => c.delay), dim: choices.map((c) => c.dim) };
    }
    const lookback = embedding ? embeddingLookback(embedding) : 0;
    let dimTotal = m;
    if (embedding) dimTotal = embedding.dim.reduce((a, b) => a + b, 0);
    const config: WindowConfig = {
      cloud,
      m,
      embedding: embedding ?? undefined,
      maxDim: o.maxDim,
      maxPoints: o.maxPoints,
      minPoints: Math.max(dimTotal >= 2 ? 3 : 2, Math.ceil(o.minValidFraction * width)),
      tail: stride,
    };
    if (limits) config.limits = limits;
    if (dimTotal > PROJECT_ABOVE) {
      config.projectTo = PROJECT_TO;
      notes.push(
        `the clouds have ${dimTotal} coordinates: projected to ${PROJECT_TO} by a seeded random projection ` +
          `(distances between points are kept approximately; topology in thousands of dimensions is noise)`,
      );
    }
    const baseline = { start: frame.timestamps[0], end: frame.timestamps[baselineRows - 1], windows: 0, reference: 0 };
    this.prepared = {
      keys,
      fast:
        o.fast === 'auto'
          ? fastAuto(frame.timestamps[baselineRows - 1] - frame.timestamps[0], m - leftOut.length)
          : o.fast,
      anchor: frame.timestamps[0],
      stepMs: frame.stepMs,
      width,
      stride,
      lookback,
      scalings,
      leftOut,
      references: new Map(),
      baselineRows,
      notes,
      config,
      embedding,
      baselineDiagrams: [],
      referenceTask: { key: 0, rows: 0, block: new Float64Array(0) },
      baseline,
      scorer: new DimensionScorer([], this.scoreOptions()),
      levels: fitLevelBaseline(frame.columns, baselineRows, leftOut),
    };
    const inBaseline = this.plan(frame, columns).filter((w) => w.key <= baseline.end);
    const computed: { task: Planned; result: WindowResult }[] = [];
    await this.dispatch(inBaseline, null, run.signal, (task, result) => {
      if (!result.skipped) computed.push({ task, result });
      else this.skipped.push({ t: task.key, reason: result.skipped });
      run.onProgress?.({ done: computed.length, total: inBaseline.length, phase: 'baseline' });
    });
    // The medoid is chosen among the windows that have every baseline series.
    const common = leaveKey(leftOut);
    const whole = computed.filter((c) => leaveKey(c.task.leaveOut) === common);
    if (whole.length < 2) {
      this.prepared = null;
      this.skipped = [];
      return (
        `the baseline span (the first ${baselineRows} samples) has ${whole.length} usable windows; at least 2 are ` +
        `needed: too many gaps in ${nameList(this.gappiest(frame, baselineRows, leftOut).map((j) => names[j]))}`
      );
    }
    // Medoid over at most 16 candidates spread through the span: pairwise matching is quadratic.
    const step = Math.max(1, Math.ceil(whole.length / 16));
    const candidates = whole.filter((_, i) => i % step === 0);
    const matrix = await this.runner.run(
      { kind: 'pairwise', sets: candidates.map((c) => c.result.diagrams) },
      run.signal,
    );
    const k = candidates.length;
    let best = 0;
    let bestSum = Infinity;
    for (let a = 0; a < k; a++) {
      let sum = 0;
      for (let b = 0; b < k; b++) sum += matrix[a * k + b] ** 2;
      if (sum < bestSum) {
        bestSum = sum;
        best = a;
      }
    }
    const medoid = candidates[best];
    // Own buffers: a batch's diagrams share one, and the reference is posted with every later batch.
    const reference = medoid.result.diagrams.map((d) => ({
      dim: d.dim,
      births: d.births.slice(),
      deaths: d.deaths.slice(),
    }));
    this.prepared.baselineDiagrams = reference;
    this.prepared.references.set(common, reference);
    this.prepared.referenceTask = taskOf(medoid.task, []);
    Object.assign(baseline, { windows: computed.length, reference: medoid.task.key });
    // Distances of the baseline windows to the reference with the same series left out.
    await this.references(
      computed.map((c) => c.task),
      run.signal,
    );
    const distances: WindowDistances[] = new Array(computed.length);
    const groups = new Map<string, number[]>();
    computed.forEach((c, i) => {
      const key = leaveKey(c.task.leaveOut);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const [key, members] of groups) {
      const d = await this.runner.run(
        {
          kind: 'distances',
          sets: members.map((i) => computed[i].result.diagrams),
          baseline: this.prepared.references.get(key)!,
        },
        run.signal,
      );
      members.forEach((i, q) => (distances[i] = d[q]));
    }
    // The scorer's reference: the baseline windows but the medoid, without the ones that are outliers
    // among them (a spike in the training span must neither teach the scorer nor hide from it).
    const raw = computed.map((c, i) => this.scored(distances[i], c.result.jump, frame, c.task));
    let inliers = computed.map((c) => c.task.key !== medoid.task.key);
    for (let round = 0; round < 5; round++) {
      const fitted = new DimensionScorer(
        raw.filter((_, i) => inliers[i]),
        this.scoreOptions(),
      );
      const next = computed.map((c, i) => c.task.key !== medoid.task.key && fitted.peek(raw[i]) <= o.threshold);
      if (next.filter(Boolean).length < 2 || next.every((v, i) => v === inliers[i])) break;
      inliers = next;
    }
    const scorer = new DimensionScorer(
      raw.filter((_, i) => inliers[i]),
      this.scoreOptions(),
    );
    this.prepared.scorer = scorer;
    // The baseline windows are scored and flaggable like the others, without joining the reference again;
    // with fewer than MIN_FLAGGABLE_BASELINE of them there is no telling an outlier among them.
    const flaggable = computed.length >= MIN_FLAGGABLE_BASELINE;
    computed.forEach(({ task, result }, i) => {
      const { score, anomalous, byLevel, own } = scorer.score(raw[i], false);
      const fast = this.fastVerdict(frame, task);
      if (fast && !flaggable) fast.flagged = false;
      const verdict = { score, anomalous: flaggable && anomalous, byLevel, own: flaggable && own };
      this.push(task, { ...result, distance: distances[i] }, verdict, fast, run);
    });
    return null;
  }

  /** Columns with the fewest values in the baseline span, for a message about gaps. */
  private gappiest(frame: AlignedFrame, baselineRows: number, leftOut: number[]): number[] {
    return frame.columns
      .map((c, j) => ({ j, n: finiteCount(c, 0, baselineRows) }))
      .filter((x) => !leftOut.includes(x.j) && x.n < baselineRows)
      .sort((a, b) => a.n - b.n)
      .slice(0, 5)
      .map((x) => x.j);
  }

  /** Computes the reference diagrams for every leave-out set among `tasks` not yet known. */
  private async references(tasks: Planned[], signal: AbortSignal | undefined): Promise<void> {
    const p = this.prepared!;
    const missing = new Map<string, number[]>();
    for (const t of tasks) {
      const key = leaveKey(t.leaveOut);
      if (!p.references.has(key)) missing.set(key, t.leaveOut);
    }
    for (const [key, leaveOut] of missing) {
      const [ref] = await this.runner.run(
        {
          kind: 'windows',
          config: p.config,
          // A copy: a pool transfers window blocks away, and the reference block is used again.
          tasks: [{ ...p.referenceTask, block: p.referenceTask.block.slice(), leaveOut }],
          baseline: null,
        },
        signal,
      );
      // A reference that loses too many points this way still beats none: fall back to the full one.
      p.references.set(key, ref.skipped ? p.baselineDiagrams : ref.diagrams);
    }
  }

  /** Window ends on the grid anchored at the first row ever seen, so keys stay put as rows are appended or trimmed. */
  private plan(frame: AlignedFrame, columns: Float64Array[]): Planned[] {
    const p = this.prepared!;
    const rows = frame.timestamps.length;
    const offset = Math.round((frame.timestamps[0] - p.anchor) / p.stepMs);
    const first = p.lookback + p.width - 1;
    const out: Planned[] = [];
    // Per column, the finite values before each row: a window's count is one subtraction.
    const finiteBefore = columns.map((c) => {
      const before = new Int32Array(c.length + 1);
      for (let i = 0; i < c.length; i++) before[i + 1] = before[i] + (Number.isFinite(c[i]) ? 1 : 0);
      return before;
    });
    for (let r = p.lookback + p.width - 1; r < rows; r++) {
      const global = r + offset;
      if (global < first || (global - first) % p.stride !== 0) continue;
      const start = r - p.width + 1 - p.lookback;
      // A series with too little data in this window alone would void it: it is left out instead.
      const least = Math.ceil(this.options.minValidFraction * (r - start + 1));
      const leaveOut = columns
        .map((_, j) => (p.leftOut.includes(j) || finiteBefore[j][r + 1] - finiteBefore[j][start] < least ? j : -1))
        .filter((j) => j >= 0);
      out.push({
        key: frame.timestamps[r],
        start: frame.timestamps[start + p.lookback],
        from: start,
        rows: r - start + 1,
        columns,
        leaveOut,
        last: r,
        tailStart: frame.timestamps[Math.max(start + p.lookback, r - p.stride + 1)],
        seq: (global - first) / p.stride,
      });
    }
    return out;
  }

  /** Sends windows in batches, keeps about two per worker in flight, and hands results back in order. */
  private async dispatch(
    tasks: Planned[],
    baseline: Diagram[] | null,
    signal: AbortSignal | undefined,
    onResult: (task: Planned, result: WindowResult) => void,
  ): Promise<void> {
    const config = this.prepared!.config;
    const slots = Math.max(1, this.runner.concurrency);
    const size = Math.max(1, Math.min(32, Math.ceil(tasks.length / (slots * 6))));
    const batches: Planned[][] = [];
    for (let i = 0; i < tasks.length; i += size) batches.push(tasks.slice(i, i + size));
    const inFlight = new Map<number, Promise<WindowResult[]>>();
    let next = 0;
    for (let emit = 0; emit < batches.length; emit++) {
      signal?.throwIfAborted();
      while (next < batches.length && next - emit < slots * 2) {
        const batch = batches[next];
        const wire = batch.map((w) => taskOf(w));
        let baselines: Record<string, Diagram[]> | undefined;
        if (baseline) {
          baselines = {};
          for (const w of batch) baselines[leaveKey(w.leaveOut)] = this.prepared!.references.get(leaveKey(w.leaveOut))!;
        }
        const promise = this.runner.run({ kind: 'windows', config, tasks: wire, baseline, baselines }, signal);
        promise.catch(() => {}); // awaited below, in order; this only keeps a later failure from going unhandled
        inFlight.set(next++, promise);
      }
      const results = await inFlight.get(emit)!;
      inFlight.delete(emit);
      signal?.throwIfAborted();
      results.forEach((r, i) => onResult(batches[emit][i], r));
    }
  }

  private scoreOptions() {
    const o = this.options;
    return { threshold: o.threshold, trailing: o.trailing, average: o.average, levelDims: o.fuseLevel ? 2 : 0 };
  }

  /** The distances the score is built from: topology, then the level jump and the level statistic when fused. */
  private scored(d: WindowDistances, jump: number, frame: AlignedFrame, task: Planned): number[] {
    const o = this.options;
    const topo = o.scoreOn === 'w2' ? d.w2 : o.scoreOn === 'bottleneck' ? d.bottleneck : [...d.w2, ...d.bottleneck];
    const out = o.fuseJump ? [...topo, jump] : [...topo];
    if (o.fuseLevel) {
      const p = this.prepared!;
      const from = o.levelCentre === 'window' ? task.last - p.width + 1 : undefined;
      out.push(...topTwo(tailLevels(frame.columns, p.levels, task.last, p.stride, from)));
    }
    return out;
  }

  private accept(frame: AlignedFrame, task: Planned, result: WindowResult, run: TimelineRunOptions): void {
    const p = this.prepared!;
    if (result.skipped || !result.distance) {
      this.skipped.push({ t: task.key, reason: result.skipped ?? 'no distance' });
      this.lastKey = Math.max(this.lastKey, task.key);
      return;
    }
    const verdict = p.scorer.score(this.scored(result.distance, result.jump, frame, task));
    this.push(task, result, verdict, this.fastVerdict(frame, task), run);
  }

  /**
   * The fast scale's reading of a window (null when off), in the score's units: its own threshold maps
   * onto the timeline's, so one line on the chart reads both.
   */
  private fastVerdict(frame: AlignedFrame, task: Planned): { score: number; flagged: boolean; onset: number } | null {
    const o = this.options;
    if (!this.prepared!.fast) return null;
    const p = this.prepared!;
    const read = (from?: number) =>
      fastLevel(frame.columns, p.levels, task.last, p.stride, o.fastRun, o.fastThreshold, from, o.fastSingle);
    const fromBase = read();
    let r = fromBase;
    // 'both': a span opens only on news (a row off both the baseline and the window before it), and goes on
    // while the rows stay off the baseline, so a long event stays covered after it stops being news.
    if (o.fastCentre === 'both' && !this.sure[this.sure.length - 1]) {
      r = read(task.last - p.width + 1);
    }
    const onsetRow = Math.max(0, r.onsetRow - o.fastRun + 1);
    return {
      score: (o.threshold * fromBase.value) / o.fastThreshold,
      flagged: r.onsetRow >= 0,
      onset: r.onsetRow >= 0 ? frame.timestamps[onsetRow] : NaN,
    };
  }

  /**
   * `byLevel`: the level statistic gave the score, so the change lies in the window's newest rows and the
   * span's onset estimate is their start, not the start of the whole window. A window the fast scale
   * flags dates its onset from the first row it read beyond its threshold.
   */
  private push(
    task: Planned,
    result: WindowResult,
    { score, anomalous, byLevel, own }: { score: number; anomalous: boolean; byLevel: boolean; own: boolean },
    fast: { score: number; flagged: boolean; onset: number } | null,
    run: TimelineRunOptions,
  ): void {
    const betti: Record<string, number> = {};
    result.features.betti.forEach((b, k) => (betti[String(k)] = b));
    const distance: Record<string, number> = {};
    if (result.distance) {
      distance.w2 = combinedW2(result.distance.w2);
      distance.bottleneck = Math.max(0, ...result.distance.bottleneck);
      result.distance.w2.forEach((v, k) => (distance[`w2_h${k}`] = v));
      result.distance.bottleneck.forEach((v, k) => (distance[`bottleneck_h${k}`] = v));
    }
    if (result.landmarkRadius !== null) this.landmarked++;
    const p = this.prepared!;
    for (const j of task.leaveOut) {
      if (p.leftOut.includes(j)) continue;
      const a = this.absent.get(j) ?? { windows: 0, first: task.key, last: task.key };
      a.windows++;
      a.last = task.key;
      this.absent.set(j, a);
    }
    const quick = fast?.flagged ?? false;
    const point: TimelinePoint = {
      t: task.key,
      score: Math.max(score, fast?.score ?? 0),
      anomalous: anomalous || quick,
      betti,
      distance,
    };
    this.points.push(point);
    this.starts.push(quick ? fast!.onset : byLevel ? task.tailStart : task.start);
    this.rawFlags.push(anomalous || quick);
    this.sure.push(quick);
    this.seqs.push(task.seq);
    this.owns.push(own);
    this.lastKey = Math.max(this.lastKey, task.key);
    run.onPoint?.(point);
  }

  private spans() {
    const flagged: FlaggedWindow[] = this.points.map((p, i) => ({
      t: p.t,
      start: this.starts[i],
      score: p.score,
      anomalous: this.rawFlags[i],
      sure: this.sure[i],
      seq: this.seqs[i],
      own: this.owns[i],
    }));
    const o = this.options;
    const spans = groupSpans(
      flagged,
      o.minSpanWindows,
      o.mergeGap,
      this.prepared?.fast ? o.sustained : 0,
      o.average - 1,
    );
    flagged.forEach((f, i) => (this.points[i].anomalous = f.anomalous));
    return spans;
  }

  /**
   * Leave-one-series-out on each span's peak window names the span's series; the ranking adds each
   * series' largest level z over the span's windows. Cached by the peak window.
   */
  private async attribute(frame: AlignedFrame, columns: Float64Array[], run: TimelineRunOptions): Promise<void> {
    const p = this.prepared!;
    const keys = frame.series.map(seriesKey);
    const spans = this.spans().filter((s) => !this.attribution.has(s.peakT));
    let done = 0;
    const planned = spans.length && keys.length > 1 ? this.plan(frame, columns) : [];
    for (const span of spans) {
      run.signal?.throwIfAborted();
      if (keys.length === 1) {
        this.attribution.set(span.peakT, { series: keys, ranking: keys });
        continue;
      }
      const peak = planned.find((w) => w.key === span.peakT);
      if (!peak) continue; // the peak's rows were trimmed away (live mode); nothing to recompute from
      const full = this.points.find((q) => q.t === span.peakT)?.distance.w2 ?? NaN;
      const without = await this.runner.run(
        {
          kind: 'attribute',
          config: p.config,
          peak: taskOf(peak),
          reference: { ...p.referenceTask, block: p.referenceTask.block.slice(), leaveOut: peak.leaveOut },
        },
        run.signal,
      );
      const drops = Array.from(without, (d) => full - d);
      const ranked = drops
        .map((drop, j) => ({ j, drop }))
        .filter((x) => Number.isFinite(x.drop))
        .sort((a, b) => b.drop - a.drop);
      const top = ranked.length ? ranked[0].drop : 0;
      // The strongest series, and the others that explain at least a quarter as much.
      const chosen = ranked
        .filter((x, i) => i === 0 || (x.drop > 0 && x.drop >= 0.25 * top))
        .slice(0, this.options.attributeTop);
      const levels = p.fast ? this.spanFast(frame, span) : this.spanLevels(frame, span.members);
      this.attribution.set(span.peakT, {
        series: chosen.map((x) => keys[x.j]),
        ranking: rankSeries(levels, drops, p.levels, p.fast ? FAST_DROP_WEIGHT : 1).map((j) => keys[j]),
      });
      run.onProgress?.({ done: ++done, total: spans.length, phase: 'attribution' });
    }
  }

  /** Per series, the largest level z at the ends of the given windows (indices into the points). */
  private spanLevels(frame: AlignedFrame, members: number[]): Float64Array {
    const p = this.prepared!;
    const best = new Float64Array(frame.columns.length).fill(NaN);
    for (const i of members) {
      const r = rowOf(frame.timestamps, this.points[i].t);
      if (r < 0) continue;
      tailLevels(frame.columns, p.levels, r, p.stride).forEach((z, j) => {
        if (Number.isFinite(z) && !(z <= best[j])) best[j] = z;
      });
    }
    return best;
  }

  /** Per series, its largest deviation from the baseline over the span's rows, onset to end (level.ts). */
  private spanFast(frame: AlignedFrame, span: { start: number; end: number }): Float64Array {
    const from = rowAtOrAfter(frame.timestamps, span.start);
    const to = rowAtOrAfter(frame.timestamps, span.end + 1) - 1;
    return spanDeviation(frame.columns, this.prepared!.levels, from, to);
  }

  private output(frame: AlignedFrame, pending: string | null): TimelineOutput {
    const o = this.options;
    const p = this.prepared;
    const anomalies: AnomalySpan[] = p
      ? this.spans().map((s) => ({
          start: s.start,
          detectedAt: s.detectedAt,
          end: s.end,
          peak: s.peak,
          series: this.attribution.get(s.peakT)?.series ?? [],
        }))
      : [];
    return {
      settings: {
        window: p?.width ?? o.window,
        stride: p?.stride ?? o.stride,
        cloud: p?.config.cloud ?? o.cloud ?? (frame.columns.length === 1 ? 'takens' : 'state'),
        maxDim: o.maxDim,
        normalise: o.normalise,
        threshold: o.threshold,
        ...(p ? { baselineSamples: p.baselineRows, fast: p.fast } : {}),
        ...(p?.config.projectTo ? { projectedTo: p.config.projectTo } : {}),
      },
      points: this.points.slice(),
      anomalies,
      skipped: this.skipped.slice(),
      baseline: p ? p.baseline : null,
      embedding: p?.embedding ?? null,
      landmarked: this.landmarked,
      pending,
      notes: p ? [...p.notes, ...this.absentNotes(frame)] : [],
      rankings: p ? this.spans().map((s) => this.attribution.get(s.peakT)?.ranking ?? []) : [],
    };
  }

  /** One note per series left out of some windows for lack of data there. */
  private absentNotes(frame: AlignedFrame): string[] {
    return [...this.absent]
      .sort((a, b) => a[0] - b[0])
      .map(([j, a]) => {
        const when = a.windows === 1 ? `at ${iso(a.first)}` : `from ${iso(a.first)} to ${iso(a.last)}`;
        return (
          `${seriesKey(frame.series[j])} has too little data in ${a.windows} windows (${when}): ` +
          `those windows were scored on the other series`
        );
      });
  }
}
