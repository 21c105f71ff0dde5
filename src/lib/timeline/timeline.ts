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
// Scoring (score.ts): per homology dimension, the robust z of log W2 to the reference, the largest one,
// averaged over the last 3 windows; fused with a level-jump statistic that persistent homology is blind
// to (a shift that keeps the shape). Threshold 4 and a span of at least 2 windows were chosen on the
// NAB evaluation (scripts/eval-timeline.ts), which prints the figures and the ablations.
import type { AlignedFrame } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';
import type { Diagram } from '../tda/types.ts';
import type { AnalysisSettings, AnomalySpan, TimelinePoint } from '../report/types.ts';
import {
  applyScaling,
  normaliseColumn,
  smoothTrailing,
  type NormaliseMethod,
  type Scaling,
} from '../cloud/normalise.ts';
import { chooseEmbedding, embeddingLookback, type Embedding } from '../cloud/takens.ts';
import { sliceRows, stepsFor } from '../cloud/windows.ts';
import type { WindowRunner } from './runner.ts';
import { combinedW2, type WindowConfig, type WindowDistances, type WindowResult, type WindowTask } from './window.ts';
import { DimensionScorer, groupSpans, type FlaggedWindow } from './score.ts';

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
  /** Unflagged windows allowed inside one span. */
  mergeGap: number;
  /** Which distances to the baseline the score uses, per homology dimension. */
  scoreOn: 'w2' | 'bottleneck' | 'both';
  /** Fuse the level-jump statistic (window.ts levelJump) into the score, next to the diagram distances. */
  fuseJump: boolean;
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
  mergeGap: 2,
  smooth: 4,
  scoreOn: 'w2',
  fuseJump: true,
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
}

interface Prepared {
  keys: string;
  anchor: number;
  stepMs: number;
  width: number;
  stride: number;
  lookback: number;
  scalings: Scaling[];
  config: WindowConfig;
  embedding: Embedding | null;
  baselineDiagrams: Diagram[];
  referenceTask: WindowTask;
  baseline: { start: number; end: number; windows: number; reference: number };
  scorer: DimensionScorer;
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
}

function taskOf(w: Planned): WindowTask {
  return { key: w.key, rows: w.rows, block: sliceRows(w.columns, w.from, w.from + w.rows - 1) };
}

export class AnomalyTimeline {
  readonly options: TimelineOptions;
  private prepared: Prepared | null = null;
  private points: TimelinePoint[] = [];
  private starts: number[] = [];
  private rawFlags: boolean[] = [];
  private skipped: { t: number; reason: string }[] = [];
  private landmarked = 0;
  private lastKey = -Infinity;
  private attribution = new Map<number, string[]>();

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
    this.skipped = [];
    this.landmarked = 0;
    this.lastKey = -Infinity;
    this.attribution.clear();
  }

  async update(frame: AlignedFrame, run: TimelineRunOptions = {}): Promise<TimelineOutput> {
    const keys = frame.series.map(seriesKey).join('\n');
    if (this.prepared && (this.prepared.keys !== keys || this.prepared.stepMs !== frame.stepMs)) this.reset();
    if (!this.prepared) {
      const why = await this.prepare(frame, keys, run);
      if (why) return this.output(frame, why);
    }
    const p = this.prepared!;
    const columns = frame.columns.map((c, j) => smoothTrailing(applyScaling(c, p.scalings[j]), this.options.smooth));
    const fresh = this.plan(frame, columns).filter((w) => w.key > this.lastKey);
    const total = fresh.length;
    let done = 0;
    await this.dispatch(fresh, p.baselineDiagrams, run.signal, (task, result) => {
      done++;
      this.accept(task, result, run);
      if (done % 16 === 0 || done === total) run.onProgress?.({ done, total, phase: 'windows' });
    });
    await this.attribute(frame, columns, run);
    return this.output(frame, null);
  }

  /** Fits normalisation and embedding on the baseline span, computes its windows and picks the medoid. */
  private async prepare(frame: AlignedFrame, keys: string, run: TimelineRunOptions): Promise<string | null> {
    const o = this.options;
    const rows = frame.timestamps.length;
    const m = frame.columns.length;
    if (m === 0) return 'the input has no series';
    const width = o.windowMs ? stepsFor(o.windowMs, frame.stepMs, 2) : o.window;
    const stride = o.strideMs ? stepsFor(o.strideMs, frame.stepMs, 1) : o.stride;
    const cloud = o.cloud ?? (m === 1 ? 'takens' : 'state');
    // The baseline span: a share of the rows, but at least enough for a handful of windows.
    const minBaselineWindows = 4;
    const maxLookbackGuess = cloud === 'takens' ? 4 * Math.max(1, Math.floor(width / 4)) : 0;
    const minRows = width + maxLookbackGuess + (minBaselineWindows - 1) * stride;
    if (rows < minRows + stride) {
      return `not enough data yet: ${rows} samples, the baseline needs at least ${minRows + stride} (window ${width}, stride ${stride})`;
    }
    const baselineRows = Math.min(rows, Math.max(minRows, o.baselineRows ?? Math.floor(o.baselineFraction * rows)));
    const scalings: Scaling[] = [];
    const columns = frame.columns.map((c) => {
      const { values, scaling } = normaliseColumn(c, o.normalise, 0, baselineRows);
      scalings.push(scaling);
      return smoothTrailing(values, o.smooth);
    });
    let embedding: Embedding | null = null;
    if (cloud === 'takens') {
      const maxDelay = Math.max(1, Math.floor(width / 4));
      const choices = columns.map((c) => chooseEmbedding(c.subarray(0, baselineRows), { maxDelay, maxDim: 4 }));
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
    this.prepared = {
      keys,
      anchor: frame.timestamps[0],
      stepMs: frame.stepMs,
      width,
      stride,
      lookback,
      scalings,
      config,
      embedding,
      baselineDiagrams: [],
      referenceTask: { key: 0, rows: 0, block: new Float64Array(0) },
      baseline: { start: frame.timestamps[0], end: frame.timestamps[baselineRows - 1], windows: 0, reference: 0 },
      scorer: new DimensionScorer([], { threshold: o.threshold, trailing: o.trailing, average: o.average }),
    };
    const inBaseline = this.plan(frame, columns).filter((w) => w.key <= frame.timestamps[baselineRows - 1]);
    const computed: { task: Planned; result: WindowResult }[] = [];
    await this.dispatch(inBaseline, null, run.signal, (task, result) => {
      if (!result.skipped) computed.push({ task, result });
      run.onProgress?.({ done: computed.length, total: inBaseline.length, phase: 'baseline' });
    });
    if (computed.length < 2) {
      this.prepared = null;
      return `the baseline span has ${computed.length} usable windows (too many gaps); at least 2 are needed`;
    }
    // Medoid over at most 16 candidates spread through the span: pairwise matching is quadratic.
    const step = Math.max(1, Math.ceil(computed.length / 16));
    const candidates = computed.filter((_, i) => i % step === 0);
    const matrix = await this.runner.run(
      { kind: 'pairwise', sets: candidates.map((c) => c.result.diagrams) },
      run.signal,
    );
    const k = candidates.length;
    let best = 0;
    let bestSum = Infinity;
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += matrix[a * k + b] ** 2;
      if (s < bestSum) {
        bestSum = s;
        best = a;
      }
    }
    const medoid = candidates[best];
    this.prepared.baselineDiagrams = medoid.result.diagrams;
    this.prepared.referenceTask = taskOf(medoid.task);
    this.prepared.baseline = {
      start: frame.timestamps[0],
      end: frame.timestamps[baselineRows - 1],
      windows: computed.length,
      reference: medoid.task.key,
    };
    // The baseline windows themselves are scored (never flagged) against the reference they form.
    const distances = await this.runner.run(
      { kind: 'distances', sets: computed.map((c) => c.result.diagrams), baseline: medoid.result.diagrams },
      run.signal,
    );
    const initial = distances
      .map((d, i) => this.scored(d, computed[i].result.jump))
      .filter((_, i) => computed[i].task.key !== medoid.task.key);
    const scorer = new DimensionScorer(initial, { threshold: o.threshold, trailing: o.trailing, average: o.average });
    this.prepared.scorer = scorer;
    computed.forEach(({ task, result }, i) => {
      const d = distances[i];
      this.push(task, { ...result, distance: d }, scorer.peek(this.scored(d, result.jump)), false, run);
    });
    return null;
  }

  /** Window ends on the grid anchored at the first row ever seen, so keys stay put as rows are appended or trimmed. */
  private plan(frame: AlignedFrame, columns: Float64Array[]): Planned[] {
    const p = this.prepared!;
    const rows = frame.timestamps.length;
    const offset = Math.round((frame.timestamps[0] - p.anchor) / p.stepMs);
    const first = p.lookback + p.width - 1;
    const out: Planned[] = [];
    for (let r = p.lookback + p.width - 1; r < rows; r++) {
      const global = r + offset;
      if (global < first || (global - first) % p.stride !== 0) continue;
      const start = r - p.width + 1 - p.lookback;
      out.push({
        key: frame.timestamps[r],
        start: frame.timestamps[start + p.lookback],
        from: start,
        rows: r - start + 1,
        columns,
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
        const wire = batch.map(taskOf);
        const promise = this.runner.run({ kind: 'windows', config, tasks: wire, baseline }, signal);
        promise.catch(() => {}); // awaited below, in order; this only keeps a later failure from going unhandled
        inFlight.set(next++, promise);
      }
      const results = await inFlight.get(emit)!;
      inFlight.delete(emit);
      signal?.throwIfAborted();
      results.forEach((r, i) => onResult(batches[emit][i], r));
    }
  }

  /** The distances the score is built from. */
  private scored(d: WindowDistances, jump: number): number[] {
    const o = this.options.scoreOn;
    const topo = o === 'w2' ? d.w2 : o === 'bottleneck' ? d.bottleneck : [...d.w2, ...d.bottleneck];
    return this.options.fuseJump ? [...topo, jump] : topo;
  }

  private accept(task: Planned, result: WindowResult, run: TimelineRunOptions): void {
    const p = this.prepared!;
    if (result.skipped || !result.distance) {
      this.skipped.push({ t: task.key, reason: result.skipped ?? 'no distance' });
      this.lastKey = Math.max(this.lastKey, task.key);
      return;
    }
    const { score, anomalous } = p.scorer.score(this.scored(result.distance, result.jump));
    this.push(task, result, score, anomalous, run);
  }

  private push(task: Planned, result: WindowResult, score: number, anomalous: boolean, run: TimelineRunOptions): void {
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
    const point: TimelinePoint = { t: task.key, score, anomalous, betti, distance };
    this.points.push(point);
    this.starts.push(task.start);
    this.rawFlags.push(anomalous);
    this.lastKey = Math.max(this.lastKey, task.key);
    run.onPoint?.(point);
  }

  private spans() {
    const flagged: FlaggedWindow[] = this.points.map((p, i) => ({
      t: p.t,
      start: this.starts[i],
      score: p.score,
      anomalous: this.rawFlags[i],
    }));
    const spans = groupSpans(flagged, this.options.minSpanWindows, this.options.mergeGap);
    flagged.forEach((f, i) => (this.points[i].anomalous = f.anomalous));
    return spans;
  }

  /** Leave-one-series-out on each span's peak window; cached by the peak window. */
  private async attribute(frame: AlignedFrame, columns: Float64Array[], run: TimelineRunOptions): Promise<void> {
    const p = this.prepared!;
    const keys = frame.series.map(seriesKey);
    const spans = this.spans().filter((s) => !this.attribution.has(s.peakT));
    let done = 0;
    for (const span of spans) {
      run.signal?.throwIfAborted();
      if (keys.length === 1) {
        this.attribution.set(span.peakT, keys);
        continue;
      }
      const peak = this.plan(frame, columns).find((w) => w.key === span.peakT);
      if (!peak) continue; // the peak's rows were trimmed away (live mode); nothing to recompute from
      const full = this.points.find((q) => q.t === span.peakT)?.distance.w2 ?? NaN;
      const without = await this.runner.run(
        {
          kind: 'attribute',
          config: p.config,
          peak: taskOf(peak),
          reference: p.referenceTask,
        },
        run.signal,
      );
      const ranked = Array.from(without, (d, j) => ({ j, drop: full - d }))
        .filter((x) => Number.isFinite(x.drop))
        .sort((a, b) => b.drop - a.drop);
      const top = ranked.length ? ranked[0].drop : 0;
      // The strongest series, and the others that explain at least a quarter as much.
      const chosen = ranked
        .filter((x, i) => i === 0 || (x.drop > 0 && x.drop >= 0.25 * top))
        .slice(0, this.options.attributeTop);
      this.attribution.set(
        span.peakT,
        chosen.map((x) => keys[x.j]),
      );
      run.onProgress?.({ done: ++done, total: spans.length, phase: 'attribution' });
    }
  }

  private output(frame: AlignedFrame, pending: string | null): TimelineOutput {
    const o = this.options;
    const p = this.prepared;
    const anomalies: AnomalySpan[] = p
      ? this.spans().map((s) => ({
          start: s.start,
          end: s.end,
          peak: s.peak,
          series: this.attribution.get(s.peakT) ?? [],
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
      },
      points: this.points.slice(),
      anomalies,
      skipped: this.skipped.slice(),
      baseline: p ? p.baseline : null,
      embedding: p?.embedding ?? null,
      landmarked: this.landmarked,
      pending,
    };
  }
}
