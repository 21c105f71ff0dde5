// Distances between H0 diagrams of Rips filtrations, where every birth is 0. Points then lie on one
// line (the death axis): moving (0, a) to (0, b) costs |a − b| in L∞, sending (0, a) to the diagonal
// costs a / 2. For costs convex in |a − b|, crossing pairs can always be uncrossed without raising the
// sum of p-th powers or the maximum, so an optimal matching pairs the sorted deaths in order, leaving
// some to the diagonal: a dynamic programme over the two sorted lists, O(n·m), finds it. It gives the
// same W2 and bottleneck as the general matching engine (property-tested) at a fraction of the cost,
// and H0 is the bulk of every window's diagram.
import type { Diagram } from '../tda/types.ts';

/** True when the diagram is finite with every birth 0 (an H0 Rips diagram without its essential class). */
export function isDeathsOnly(d: Diagram): boolean {
  for (let i = 0; i < d.births.length; i++) if (d.births[i] !== 0 || !Number.isFinite(d.deaths[i])) return false;
  return true;
}

/** A diagram's deaths sorted, with the costs the programmes read per death: its half (to the diagonal in
 * L∞) and that half squared. */
export interface SortedDeaths {
  deaths: Float64Array;
  half: Float64Array;
  halfSquared: Float64Array;
}

export function sortDeaths(d: Diagram): SortedDeaths {
  return sorted(Float64Array.from(d.deaths));
}

function sorted(deaths: Float64Array): SortedDeaths {
  deaths.sort();
  const half = new Float64Array(deaths.length);
  const halfSquared = new Float64Array(deaths.length);
  for (let i = 0; i < deaths.length; i++) {
    // + 0 turns a −0 into +0 (and changes nothing else): the programmes compare instead of Math.max.
    half[i] = deaths[i] / 2 + 0;
    halfSquared[i] = (deaths[i] / 2) ** 2;
  }
  return { deaths, half, halfSquared };
}

/**
 * The sorted finite deaths when every finite pair is born at 0 (isDeathsOnly of the finite part), else
 * null: the finite part's deaths without building the finite part.
 */
export function finiteDeaths(d: Diagram): SortedDeaths | null {
  let n = 0;
  for (let i = 0; i < d.deaths.length; i++) {
    if (!Number.isFinite(d.deaths[i])) continue;
    if (d.births[i] !== 0) return null;
    n++;
  }
  const deaths = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < d.deaths.length; i++) if (Number.isFinite(d.deaths[i])) deaths[k++] = d.deaths[i];
  return sorted(deaths);
}

/** A reference diagram is compared with every window of a batch: its finite deaths are sorted once. */
const finiteCache = new WeakMap<Diagram, SortedDeaths | null>();

export function finiteDeathsCached(d: Diagram): SortedDeaths | null {
  let s = finiteCache.get(d);
  if (s === undefined) finiteCache.set(d, (s = finiteDeaths(d)));
  return s;
}

/** W2 between two births-0 diagrams. */
export function deathsWasserstein2(a: Diagram, b: Diagram): number {
  return sortedWasserstein2(sortDeaths(a), sortDeaths(b));
}

/** Bottleneck distance between two births-0 diagrams. */
export function deathsBottleneck(a: Diagram, b: Diagram): number {
  return sortedDistances(sortDeaths(a), sortDeaths(b)).bottleneck;
}

// Two rows of a programme, reused between calls (one thread per realm).
let rowA = new Float64Array(64);
let rowB = new Float64Array(64);
let rowC = new Float64Array(64);
let rowD = new Float64Array(64);

function rows(m: number): void {
  if (rowA.length > m) return;
  const size = Math.max(m + 1, 2 * rowA.length);
  rowA = new Float64Array(size);
  rowB = new Float64Array(size);
  rowC = new Float64Array(size);
  rowD = new Float64Array(size);
}

// The programmes below keep the row's left and diagonal neighbours in locals and pick minima and maxima
// with comparisons: the costs are finite and never −0 (deaths are finite, halves made +0), and there
// comparisons give exactly what Math.min and Math.max give.

/** W2 alone (the baseline medoid's pairwise matrix needs no bottleneck). */
export function sortedWasserstein2(a: SortedDeaths, b: SortedDeaths): number {
  const x = a.deaths;
  const y = b.deaths;
  const xSq = a.halfSquared;
  const ySq = b.halfSquared;
  const n = x.length;
  const m = y.length;
  rows(m);
  // prev[j]: best cost matching x[0..i) with y[0..j)
  let prev = rowA;
  let cur = rowB;
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = prev[j - 1] + ySq[j - 1];
  for (let i = 1; i <= n; i++) {
    const xi = x[i - 1];
    const xc = xSq[i - 1];
    let diagonal = prev[0];
    let left = diagonal + xc;
    cur[0] = left;
    for (let j = 1; j <= m; j++) {
      const up = prev[j];
      const d = xi - y[j - 1];
      const a1 = up + xc;
      const a2 = left + ySq[j - 1];
      const a3 = diagonal + d * d;
      const best = a1 < a2 ? (a1 < a3 ? a1 : a3) : a2 < a3 ? a2 : a3;
      cur[j] = best;
      left = best;
      diagonal = up;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.sqrt(prev[m]);
}

/** W2 and bottleneck in one pass over the two sorted lists (the same programmes, side by side). */
export function sortedDistances(a: SortedDeaths, b: SortedDeaths): { w2: number; bottleneck: number } {
  const x = a.deaths;
  const y = b.deaths;
  const xSq = a.halfSquared;
  const ySq = b.halfSquared;
  const xHalf = a.half;
  const yHalf = b.half;
  const n = x.length;
  const m = y.length;
  rows(m);
  let prev = rowA;
  let cur = rowB;
  // The bottleneck programme: the largest single cost on the best path instead of the sum of squares.
  let prevB = rowC;
  let curB = rowD;
  prev[0] = 0;
  prevB[0] = 0;
  for (let j = 1; j <= m; j++) {
    prev[j] = prev[j - 1] + ySq[j - 1];
    const pb = prevB[j - 1];
    const yh = yHalf[j - 1];
    prevB[j] = pb > yh ? pb : yh;
  }
  for (let i = 1; i <= n; i++) {
    const xi = x[i - 1];
    const xc = xSq[i - 1];
    const xh = xHalf[i - 1];
    let diagonal = prev[0];
    let left = diagonal + xc;
    cur[0] = left;
    let diagonalB = prevB[0];
    let leftB = diagonalB > xh ? diagonalB : xh;
    curB[0] = leftB;
    for (let j = 1; j <= m; j++) {
      const up = prev[j];
      const upB = prevB[j];
      const d = xi - y[j - 1];
      const a1 = up + xc;
      const a2 = left + ySq[j - 1];
      const a3 = diagonal + d * d;
      const best = a1 < a2 ? (a1 < a3 ? a1 : a3) : a2 < a3 ? a2 : a3;
      const yh = yHalf[j - 1];
      const ad = Math.abs(d);
      const b1 = upB > xh ? upB : xh;
      const b2 = leftB > yh ? leftB : yh;
      const b3 = diagonalB > ad ? diagonalB : ad;
      const bestB = b1 < b2 ? (b1 < b3 ? b1 : b3) : b2 < b3 ? b2 : b3;
      cur[j] = best;
      curB[j] = bestB;
      left = best;
      leftB = bestB;
      diagonal = up;
      diagonalB = upB;
    }
    let t = prev;
    prev = cur;
    cur = t;
    t = prevB;
    prevB = curB;
    curB = t;
  }
  return { w2: Math.sqrt(prev[m]), bottleneck: prevB[m] };
}
