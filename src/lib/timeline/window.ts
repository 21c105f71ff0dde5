// The pure per-window computation a worker runs: block of rows -> point cloud -> diagrams -> features
// -> distance to the baseline. Everything in and out is typed arrays and plain objects, so a batch
// crosses a worker boundary by structured clone with its buffers transferred.
import type { Diagram } from '../tda/types.ts';
import { stateCloud } from '../cloud/state.ts';
import { takensCloud, type Embedding } from '../cloud/takens.ts';
import { limitCloud } from '../cloud/landmarks.ts';
import { median } from '../cloud/stats.ts';
import { projectCloud, PROJECT_ABOVE } from '../cloud/project.ts';
import type { Topology } from './topology.ts';
import { windowFeatures, type WindowFeatures } from './features.ts';
import { finiteDeaths, finiteDeathsCached, isDeathsOnly, sortDeaths } from './h0.ts';

export interface WindowConfig {
  cloud: 'state' | 'takens';
  /** Series (columns) in every block. */
  m: number;
  /** Delay embedding per series, for `takens`. */
  embedding?: Embedding;
  maxDim: number;
  /** Clouds larger than this are replaced by their max–min landmarks. */
  maxPoints: number;
  /** A window with fewer complete points than this is skipped (too many gaps). */
  minPoints: number;
  /** Rows at the end of the window compared with the rest for the jump statistic (the stride). */
  tail: number;
  /**
   * Per column, state clouds only: excursions from the window's median beyond about this many units are
   * softly saturated (normalise.ts saturationLimit), so that no single series can dominate the cloud.
   */
  limits?: number[];
  /** Clouds with more than PROJECT_ABOVE coordinates are randomly projected to this many (cloud/project.ts). */
  projectTo?: number;
}

export interface WindowTask {
  /** The window's key: its end timestamp (epoch ms). */
  key: number;
  rows: number;
  /** rows × m, row-major, normalised; NaN marks a gap. */
  block: Float64Array;
  /**
   * Columns left out of this window (no data in it, or none in the baseline): zeroed, so they add nothing
   * to any distance. The window is compared with the reference with the same columns left out.
   */
  leaveOut?: number[];
}

/** Key of a leave-out set, for the reference diagrams computed with it. */
export function leaveKey(leaveOut: number[] | undefined): string {
  return leaveOut && leaveOut.length ? leaveOut.join(',') : '';
}

/** Distances per homology dimension (index = dimension). */
export interface WindowDistances {
  w2: number[];
  bottleneck: number[];
}

export interface WindowResult {
  key: number;
  /** Why the window gave no diagram (too many gaps), or null. */
  skipped: string | null;
  points: number;
  /** Covering radius when the cloud was landmarked, else null. */
  landmarkRadius: number | null;
  diagrams: Diagram[];
  features: WindowFeatures;
  /** Largest level jump of any series at the end of the window (see levelJump). */
  jump: number;
  /** Per homology dimension, to the baseline diagrams; null without a baseline or when skipped. */
  distance: WindowDistances | null;
}

/** Only the finite pairs take part in distances: every Rips diagram has the same one infinite H0 class. */
export function finitePart(d: Diagram): Diagram {
  let n = 0;
  for (let i = 0; i < d.deaths.length; i++) if (Number.isFinite(d.deaths[i])) n++;
  if (n === d.deaths.length) return d;
  const births = new Float64Array(n);
  const deaths = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < d.deaths.length; i++) {
    if (Number.isFinite(d.deaths[i])) {
      births[k] = d.births[i];
      deaths[k++] = d.deaths[i];
    }
  }
  return { dim: d.dim, births, deaths };
}

/** finitePart of a reference diagram, kept: the same reference is compared with every window of a batch. */
const finiteCache = new WeakMap<Diagram, Diagram>();

function finitePartCached(d: Diagram): Diagram {
  let f = finiteCache.get(d);
  if (!f) finiteCache.set(d, (f = finitePart(d)));
  return f;
}

function emptyDiagrams(maxDim: number): Diagram[] {
  return Array.from({ length: maxDim + 1 }, (_, dim) => ({
    dim,
    births: new Float64Array(0),
    deaths: new Float64Array(0),
  }));
}

/**
 * The window's block as its clouds read it: left-out series zeroed, excursions saturated. Leave-one-out
 * builds a cloud per series from the same one.
 */
export function cloudBlock(config: WindowConfig, task: WindowTask): Float64Array {
  let block = task.block;
  if (task.leaveOut?.length) {
    // A left-out series is zeros on every row, gaps included: its gaps must not drop the others' points.
    block = block.slice();
    for (const j of task.leaveOut) for (let r = 0; r < task.rows; r++) block[r * config.m + j] = 0;
  }
  if (config.limits && config.cloud === 'state')
    block = saturateAroundMedian(block, task.rows, config.m, config.limits);
  return block;
}

/**
 * Builds the window's cloud from its block (its cloudBlock when `prepared` is given): the state cloud, or
 * every series' delay embedding side by side.
 */
export function buildCloud(config: WindowConfig, task: WindowTask, zeroColumn = -1, prepared?: Float64Array) {
  let block = prepared ?? cloudBlock(config, task);
  if (zeroColumn >= 0) {
    // Leaving a series out: a column of zeros adds nothing to any pairwise distance.
    block = block.slice();
    for (let r = 0; r < task.rows; r++)
      if (Number.isFinite(block[r * config.m + zeroColumn])) block[r * config.m + zeroColumn] = 0;
  }
  const cloud =
    config.cloud === 'takens' && config.embedding
      ? takensCloud(block, task.rows, config.m, config.embedding)
      : stateCloud(block, task.rows, config.m);
  const projected = config.projectTo ? projectCloud(cloud, config.projectTo, PROJECT_ABOVE) : cloud;
  return { ...limitCloud(projected, config.maxPoints), complete: cloud.n };
}

/** One column of a block, reused between windows. */
let column = new Float64Array(128);

/**
 * A copy of the block with each column's excursions from its median in the window saturated at its limit
 * (c · tanh(x / c)). A trend still stretches the cloud along its series, by at most about 2c, instead of by
 * thousands of noise units; the other series keep their say in the shape.
 */
export function saturateAroundMedian(block: Float64Array, rows: number, m: number, limits: number[]): Float64Array {
  const out = block.slice();
  if (column.length < rows) column = new Float64Array(rows);
  for (let j = 0; j < m; j++) {
    const c = limits[j];
    if (!(c > 0) || !Number.isFinite(c)) continue;
    for (let r = 0; r < rows; r++) column[r] = block[r * m + j];
    // NaN without a finite value: then nothing below changes.
    const med = median(column, 0, rows);
    if (Number.isNaN(med)) continue;
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      if (Number.isFinite(v)) out[r * m + j] = med + c * Math.tanh((v - med) / c);
    }
  }
  return out;
}

/**
 * Distances between two diagram lists, dimension by dimension (finite pairs only). `b` is the reference
 * side: its finite parts and sorted deaths are kept for the next window compared with it.
 */
export function diagramDistances(topology: Topology, a: Diagram[], b: Diagram[]): WindowDistances {
  const w2: number[] = [];
  const bottleneck: number[] = [];
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const xa = finiteDeaths(a[k]);
    const xb = xa && finiteDeathsCached(b[k]);
    if (xa && xb) {
      // h0.ts's programme, run in the module (the same doubles, about twice as fast)
      const d = topology.lineDistances(xa, xb);
      w2.push(d.w2);
      bottleneck.push(d.bottleneck);
    } else {
      const d = topology.w2AndBottleneck(finitePart(a[k]), finitePartCached(b[k]));
      w2.push(d.w2);
      bottleneck.push(d.bottleneck);
    }
  }
  return { w2, bottleneck };
}

/** W2 over all dimensions at once: matchings are per dimension, so the squares add. */
export function combinedW2(w2: number[]): number {
  let s = 0;
  for (const v of w2) s += v * v;
  return Math.sqrt(s);
}

export function computeWindow(
  topology: Topology,
  config: WindowConfig,
  task: WindowTask,
  baseline: Diagram[] | null,
  zeroColumn = -1,
  prepared?: Float64Array,
): WindowResult {
  const { cloud, landmarks, complete } = buildCloud(config, task, zeroColumn, prepared);
  // Gaps are judged on the complete cloud, before any landmarking.
  if (complete < config.minPoints) {
    return {
      key: task.key,
      skipped: `${cloud.dropped} of ${complete + cloud.dropped} points have a gap; at least ${config.minPoints} complete points are needed`,
      points: complete,
      landmarkRadius: null,
      diagrams: emptyDiagrams(config.maxDim),
      features: windowFeatures(emptyDiagrams(config.maxDim)),
      jump: NaN,
      distance: null,
    };
  }
  const result = topology.computePoints(cloud.points, cloud.n, cloud.d, { maxDim: config.maxDim });
  // Own copies: the engine's arrays may view its memory, and results get transferred to other threads.
  const diagrams = result.diagrams.map((d) => ({ dim: d.dim, births: d.births.slice(), deaths: d.deaths.slice() }));
  return {
    key: task.key,
    skipped: null,
    points: cloud.n,
    landmarkRadius: landmarks ? landmarks.radius : null,
    diagrams,
    features: windowFeatures(diagrams),
    jump: levelJump(task.block, task.rows, config.m, config.tail),
    distance: baseline ? diagramDistances(topology, diagrams, baseline) : null,
  };
}

/**
 * A simple statistic fused with the topology: for each series, how far the mean of the last `tail` rows
 * sits from the mean of the rows before, in standard deviations of those rows (floored at 0.1, in
 * normalised units); the largest over the series. Persistent homology is blind to a level shift inside
 * a cloud that stays the same shape; this catches it, and being relative to the window, not to the
 * baseline, it ignores slow daily drift.
 */
export function levelJump(block: Float64Array, rows: number, m: number, tail: number): number {
  const split = rows - Math.min(tail, rows - 2);
  let best = 0;
  for (let j = 0; j < m; j++) {
    let n0 = 0;
    let s0 = 0;
    let ss0 = 0;
    let n1 = 0;
    let s1 = 0;
    for (let r = 0; r < rows; r++) {
      const v = block[r * m + j];
      if (!Number.isFinite(v)) continue;
      if (r < split) {
        n0++;
        s0 += v;
        ss0 += v * v;
      } else {
        n1++;
        s1 += v;
      }
    }
    if (n0 < 2 || n1 === 0) continue;
    const mean0 = s0 / n0;
    const sd0 = Math.sqrt(Math.max(0, ss0 / n0 - mean0 * mean0));
    best = Math.max(best, Math.abs(s1 / n1 - mean0) / Math.max(sd0, 0.1));
  }
  return best;
}

/**
 * Leave-one-series-out on one window: for each series, the combined W2 between the window and the
 * reference window when that series is removed from both. A series whose removal shrinks the distance
 * most is the one whose behaviour changed.
 */
export function attributeWindow(
  topology: Topology,
  config: WindowConfig,
  peak: WindowTask,
  reference: WindowTask,
): Float64Array {
  const out = new Float64Array(config.m).fill(NaN);
  const left = new Set(peak.leaveOut ?? []);
  // Saturated once per window, not once per series left out.
  const peakBlock = cloudBlock(config, peak);
  const referenceBlock = cloudBlock(config, reference);
  for (const j of attributionCandidates(config, peak, reference)) {
    if (left.has(j)) continue;
    const a = computeWindow(topology, config, peak, null, j, peakBlock);
    const b = computeWindow(topology, config, reference, null, j, referenceBlock);
    out[j] = a.skipped || b.skipped ? NaN : combinedW2(diagramDistances(topology, a.diagrams, b.diagrams).w2);
  }
  return out;
}

/** Series tried by leave-one-out: all of them up to this many; for wider data the ones that moved most. */
export const ATTRIBUTE_MAX = 32;

/**
 * Leave-one-out costs two persistence computations per series; with thousands of series that is minutes.
 * A cheap screen keeps the ATTRIBUTE_MAX series whose values in the peak window differ most from the
 * reference window (shift of the mean plus change of spread, in normalised units).
 */
export function attributionCandidates(config: WindowConfig, peak: WindowTask, reference: WindowTask): number[] {
  const all = Array.from({ length: config.m }, (_, j) => j);
  if (config.m <= ATTRIBUTE_MAX) return all;
  const stats = (t: WindowTask, j: number) => {
    let n = 0;
    let s = 0;
    let ss = 0;
    for (let r = 0; r < t.rows; r++) {
      const v = t.block[r * config.m + j];
      if (!Number.isFinite(v)) continue;
      n++;
      s += v;
      ss += v * v;
    }
    const mean = n ? s / n : 0;
    return { mean, sd: n ? Math.sqrt(Math.max(0, ss / n - mean * mean)) : 0 };
  };
  const moved = all.map((j) => {
    const a = stats(peak, j);
    const b = stats(reference, j);
    return Math.abs(a.mean - b.mean) + Math.abs(a.sd - b.sd);
  });
  return all.sort((x, y) => moved[y] - moved[x]).slice(0, ATTRIBUTE_MAX);
}

/** Symmetric matrix (row-major k × k) of combined W2 between diagram lists, for choosing the baseline medoid. */
export function pairwiseDistances(topology: Topology, sets: Diagram[][]): Float64Array {
  const k = sets.length;
  const out = new Float64Array(k * k);
  const finite = sets.map((set) => set.map(finitePart));
  // Each list meets k − 1 others: its H0 deaths are sorted once.
  const sorted = finite.map((set) => set.map((d) => (isDeathsOnly(d) ? sortDeaths(d) : null)));
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const w2: number[] = [];
      for (let dim = 0; dim < Math.min(finite[a].length, finite[b].length); dim++) {
        const x = sorted[a][dim];
        const y = sorted[b][dim];
        w2.push(x && y ? topology.lineWasserstein2(x, y) : topology.wasserstein(finite[a][dim], finite[b][dim], 2));
      }
      const d = combinedW2(w2);
      out[a * k + b] = d;
      out[b * k + a] = d;
    }
  }
  return out;
}
