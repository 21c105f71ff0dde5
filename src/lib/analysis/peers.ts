// Peer outliers: at each window every entity becomes one point, and the fleet cloud's H0 persistence (single
// linkage, the topology of the fleet at scale 0) says which entity has split off from its peers.
//
// The point: for each metric most entities share, the entity's own series in robust z-units of its own
// baseline (median / MAD, with a floor so a flat series cannot divide by ~0), averaged over the samples since
// the previous window (its recent behaviour). Then, per metric, centred on the fleet's median and divided by
// the fleet's robust spread when that exceeds one z-unit, and softly clipped at ±8. Healthy hosts sit near
// the origin whatever their absolute levels; a host whose behaviour changes moves away. A fleet-wide change
// (a traffic spike, the daily cycle against a night-time baseline) moves every host together and is taken
// out before the clip: left in, it pushed a 1,000-host fleet to z 5–8 on load, network and fds, where the
// clip squashed a failing host's z of 400 to within one unit of its busiest healthy peers.
//
// The score: the single-linkage height at which an entity joins the component holding most of the fleet
// (its H0 death time in the fleet's filtration), in units of the fleet's median MST edge (at least one
// z-unit). A typical host scores ~1; a host that split off scores how far it is from the pack.
import type { AlignedFrame } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';
import type { EntityColumns } from './entities.ts';
import { MAD_TO_SD, mad, median } from '../cloud/stats.ts';
import { joinHeightsBatch } from '../cloud/linkage.ts';
import type { WindowRunner } from '../timeline/runner.ts';

export interface PeerOptions {
  /** Rows of the baseline span each entity is normalised on. */
  baselineRows: number;
  /** Score above which an entity counts as split off. */
  threshold: number;
  /** Consecutive windows above the threshold before an entity is flagged. */
  minWindows: number;
}

export const DEFAULT_PEER_OPTIONS: Omit<PeerOptions, 'baselineRows'> = { threshold: 4, minWindows: 2 };

export interface PeerSpan {
  start: number;
  end: number;
  peak: number;
}

export interface PeerResult {
  /** Window end times the scores are for. */
  times: number[];
  /** scores[e][w]: entity e at window w. */
  scores: Float64Array[];
  /** Per entity, the spans in which it stood apart from its peers. */
  spans: PeerSpan[][];
  /** Metric keys the points are built from. */
  features: string[];
  /**
   * What the scores depend on besides the rows up to each window (baseline, entities, features): a later
   * call with the same key reuses the scores of the windows it already has (live mode).
   */
  key?: string;
  /** Per entity and feature, the baseline's median and scale (null: the entity lacks the feature). */
  scaling?: (Scaling | null)[][];
}

interface Scaling {
  col: Float64Array;
  med: number;
  scale: number;
}

/** Peers are compared when there are at least this many entities. */
export const MIN_PEERS = 3;

/** The fleet's points at each window not yet scored; `finish` takes their heights (window-major). */
interface PeerPlan {
  n: number;
  d: number;
  /** windows × n × d: the entities' points, window by window. */
  points: Float64Array;
  finish(heights: Float64Array): PeerResult;
}

function planPeers(
  aligned: AlignedFrame,
  entities: EntityColumns[],
  label: string | null,
  times: number[],
  opts: PeerOptions,
  previous: PeerResult | null = null,
): PeerPlan | null {
  const n = entities.length;
  if (n < MIN_PEERS || times.length === 0) return null;
  // Features: series keys without the labels that describe the entity (its own, and those all its series
  // share, such as job or zone: hosts of another job are still peers), kept when half the entities have them.
  const hostLabels = entities.map((e) => sharedLabels(aligned, e.columns, label));
  const keyOf = (j: number, e: number) => {
    const s = aligned.series[j];
    const labels = { ...s.labels };
    for (const k of hostLabels[e]) delete labels[k];
    return seriesKey({ name: s.name, labels });
  };
  const counts = new Map<string, number>();
  entities.forEach((x, e) => {
    for (const k of new Set(x.columns.map((j) => keyOf(j, e)))) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  const features = [...counts].filter(([, c]) => c >= n / 2).map(([k]) => k);
  if (features.length === 0) return null;
  const d = features.length;
  const featureIndex = new Map(features.map((k, i) => [k, i]));
  const rows = aligned.timestamps.length;
  const base = Math.max(2, Math.min(rows, opts.baselineRows));
  const key = [base, entities.map((e) => e.entity).join(','), features.join(',')].join('\n');
  // Windows already scored by `previous` (same baseline, entities and features, times a prefix) are kept:
  // a window's score depends only on the rows up to it.
  const kept =
    previous &&
    previous.key === key &&
    previous.times.length <= times.length &&
    previous.times.every((t, w) => t === times[w])
      ? previous.times.length
      : 0;
  // Scaling per entity and feature (null: the entity lacks it; it then sits at 0).
  const norm: (Scaling | null)[][] = entities.map((e, i) => {
    const cols: (Scaling | null)[] = new Array(d).fill(null);
    for (const j of e.columns) {
      const f = featureIndex.get(keyOf(j, i));
      if (f === undefined || cols[f]) continue;
      const old = kept ? previous!.scaling![i][f] : null;
      cols[f] = old ? { ...old, col: aligned.columns[j] } : robustScaling(aligned.columns[j], base);
    }
    return cols;
  });
  const rowOf = indexOfTimes(aligned.timestamps, times);
  const windows = times.length - kept;
  const points = new Float64Array(windows * n * d);
  const column = new Float64Array(n);
  for (let w = kept; w < times.length; w++) {
    const to = rowOf[w];
    const from = w === 0 ? Math.max(0, to - 9) : Math.max(rowOf[w - 1] + 1, to - 59);
    const at = points.subarray((w - kept) * n * d, (w - kept + 1) * n * d);
    for (let e = 0; e < n; e++) {
      for (let f = 0; f < d; f++) at[e * d + f] = meanOf(norm[e][f], from, to);
    }
    centreOnFleet(at, n, d, column);
  }
  return {
    n,
    d,
    points,
    finish(heights) {
      const scores = entities.map((_, e) => {
        const s = new Float64Array(times.length);
        if (kept) s.set(previous!.scores[e].subarray(0, kept));
        for (let w = kept; w < times.length; w++) s[w] = heights[(w - kept) * n + e];
        return s;
      });
      const spans = scores.map((s) => flagSpans(s, times, opts));
      return { times, scores, spans, features, key, scaling: norm };
    },
  };
}

/** Peer scores computed on this thread. */
export function peerOutliers(...args: Parameters<typeof planPeers>): PeerResult | null {
  const plan = planPeers(...args);
  return plan && plan.finish(joinHeightsBatch(plan.points, plan.n, plan.d));
}

/**
 * Peer scores with the single-linkage heights (the bulk of the work at 1,000 entities) computed by `runner`,
 * one request per worker. `onSent` is called once they are sent: this thread is then free for other work.
 */
export async function peerOutliersOn(
  runner: WindowRunner,
  args: Parameters<typeof planPeers>,
  onSent?: () => void,
): Promise<PeerResult | null> {
  const plan = planPeers(...args);
  if (!plan) {
    onSent?.();
    return null;
  }
  const size = plan.n * plan.d;
  const windows = plan.points.length / size;
  const per = Math.max(1, Math.ceil(windows / Math.max(1, runner.concurrency)));
  const requests: Promise<Float64Array>[] = [];
  for (let w = 0; w < windows; w += per) {
    const points = plan.points.slice(w * size, Math.min(windows, w + per) * size);
    requests.push(runner.run({ kind: 'heights', points, n: plan.n, d: plan.d }));
  }
  onSent?.();
  const answers = await Promise.all(requests);
  const heights = new Float64Array(windows * plan.n);
  let at = 0;
  for (const a of answers) {
    heights.set(a, at);
    at += a.length;
  }
  return plan.finish(heights);
}

/** The entity label and every label all of `columns` carry with one value (none more for a single column). */
function sharedLabels(aligned: AlignedFrame, columns: number[], label: string | null): string[] {
  const shared = label ? [label] : [];
  if (columns.length < 2) return shared;
  const first = aligned.series[columns[0]].labels;
  for (const k of Object.keys(first)) {
    if (k === label) continue;
    if (columns.every((j) => aligned.series[j].labels[k] === first[k])) shared.push(k);
  }
  return shared;
}

/** Robust z on the first `base` rows: its median and scale (NaN median: no finite value there). */
function robustScaling(col: Float64Array, base: number): Scaling {
  const med = median(col, 0, base);
  if (!Number.isFinite(med)) return { col, med: NaN, scale: 1 };
  // A floor: 1 % of the level, and an absolute minimum, so a flat series has a finite, meaningful scale.
  return { col, med, scale: Math.max(MAD_TO_SD * mad(col, 0, base, med), 0.01 * Math.abs(med), 1e-9) };
}

/** Soft clip of a point's coordinates (fleet-relative z-units). */
const CLIP = 8;
/**
 * Soft clip of each sample's own-baseline z before the mean: wide enough to keep the daily cycle's z of
 * 5–30 nearly linear (the fleet takes it out after), narrow enough that one wild sample cannot dominate.
 */
const SAMPLE_CLIP = 64;

/** Mean robust z over rows [from, to], each softly clipped at ±SAMPLE_CLIP; NaN rows left out (NaN: none left, or no feature). */
function meanOf(s: Scaling | null, from: number, to: number): number {
  if (!s) return NaN;
  let sum = 0;
  let k = 0;
  for (let i = from; i <= to; i++) {
    const z = (s.col[i] - s.med) / s.scale;
    if (!Number.isNaN(z)) {
      sum += SAMPLE_CLIP * Math.tanh(z / SAMPLE_CLIP);
      k++;
    }
  }
  return k ? sum / k : NaN;
}

/**
 * In place, per feature: (z − the fleet's median) / max(1, the fleet's robust SD), softly clipped at ±CLIP.
 * NaN (no value) becomes 0: the entity sits with the fleet on that feature.
 */
export function centreOnFleet(points: Float64Array, n: number, d: number, column = new Float64Array(n)): void {
  for (let f = 0; f < d; f++) {
    for (let e = 0; e < n; e++) column[e] = points[e * d + f];
    const med = median(column, 0, n);
    const unit = Number.isFinite(med) ? Math.max(1, MAD_TO_SD * mad(column, 0, n, med)) : 1;
    for (let e = 0; e < n; e++) {
      const z = (column[e] - med) / unit;
      points[e * d + f] = Number.isFinite(z) ? CLIP * Math.tanh(z / CLIP) : 0;
    }
  }
}

function flagSpans(scores: Float64Array, times: number[], opts: PeerOptions): PeerSpan[] {
  const spans: PeerSpan[] = [];
  let run: PeerSpan | null = null;
  let length = 0;
  for (let w = 0; w <= scores.length; w++) {
    const above = w < scores.length && scores[w] > opts.threshold;
    if (above) {
      if (!run) run = { start: times[w], end: times[w], peak: scores[w] };
      run.end = times[w];
      run.peak = Math.max(run.peak, scores[w]);
      length++;
    } else {
      if (run && length >= opts.minWindows) spans.push(run);
      run = null;
      length = 0;
    }
  }
  return spans;
}

function indexOfTimes(timestamps: Float64Array, times: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  for (const t of times) {
    while (i + 1 < timestamps.length && timestamps[i + 1] <= t) i++;
    out.push(i);
  }
  return out;
}
