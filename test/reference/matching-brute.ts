// Brute-force references for diagram distances, for tests only: they try every matching.
// Finite points: every partial injection of A into B (unmatched points go to the diagonal), which is
// every permutation of the augmented (n+m)×(n+m) matrix up to reordering the diagonal copies.
// Essential points: every bijection between the two lists (Infinity when the counts differ).
import type { Diagram } from '../../src/lib/tda/types.ts';

export type Aggregate = { kind: 'sum'; p: 1 | 2 } | { kind: 'max' };

interface Pt {
  b: number;
  d: number;
}

const linf = (x: Pt, y: Pt) => Math.max(Math.abs(x.b - y.b), Math.abs(x.d - y.d));
const toDiagonal = (x: Pt) => (x.d - x.b) / 2;

function points(diagram: Diagram, essential: boolean): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < diagram.births.length; i++) {
    const pt = { b: diagram.births[i], d: diagram.deaths[i] };
    if ((pt.d === Infinity) === essential) out.push(pt);
  }
  return out;
}

function combine(agg: Aggregate, acc: number, cost: number): number {
  return agg.kind === 'max' ? Math.max(acc, cost) : acc + cost ** agg.p;
}

/** Best value of Σ cost^p (or max cost) over all matchings of the finite points. */
export function bruteFinite(a: Diagram, b: Diagram, agg: Aggregate): number {
  const A = points(a, false);
  const B = points(b, false);
  const used = new Array<boolean>(B.length).fill(false);
  let best = Infinity;
  const walk = (i: number, acc: number) => {
    if (i === A.length) {
      let total = acc;
      B.forEach((y, j) => {
        if (!used[j]) total = combine(agg, total, toDiagonal(y));
      });
      best = Math.min(best, total);
      return;
    }
    walk(i + 1, combine(agg, acc, toDiagonal(A[i])));
    for (let j = 0; j < B.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(i + 1, combine(agg, acc, linf(A[i], B[j])));
      used[j] = false;
    }
  };
  walk(0, 0);
  return best;
}

/** Same as bruteFinite, by literally permuting the augmented matrix (use only for n + m ≤ 8). */
export function bruteAugmented(a: Diagram, b: Diagram, agg: Aggregate): number {
  const A = points(a, false);
  const B = points(b, false);
  const n = A.length;
  const m = B.length;
  const size = n + m;
  // rows: A then m diagonal copies; columns: B then n diagonal copies
  const cost = (i: number, j: number) => {
    if (i < n && j < m) return linf(A[i], B[j]);
    if (i < n) return toDiagonal(A[i]);
    if (j < m) return toDiagonal(B[j]);
    return 0;
  };
  const perm = Array.from({ length: size }, (_, k) => k);
  let best = Infinity;
  const permute = (k: number) => {
    if (k === size) {
      let total = 0;
      for (let i = 0; i < size; i++) total = combine(agg, total, cost(i, perm[i]));
      best = Math.min(best, total);
      return;
    }
    for (let t = k; t < size; t++) {
      [perm[k], perm[t]] = [perm[t], perm[k]];
      permute(k + 1);
      [perm[k], perm[t]] = [perm[t], perm[k]];
    }
  };
  permute(0);
  return size === 0 ? 0 : best;
}

/** Best value over all bijections of the essential points; Infinity when the counts differ. */
export function bruteEssential(a: Diagram, b: Diagram, agg: Aggregate): number {
  const A = points(a, true).map((x) => x.b);
  const B = points(b, true).map((x) => x.b);
  if (A.length !== B.length) return Infinity;
  const used = new Array<boolean>(B.length).fill(false);
  let best = A.length === 0 ? 0 : Infinity;
  const walk = (i: number, acc: number) => {
    if (i === A.length) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < B.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      walk(i + 1, combine(agg, acc, Math.abs(A[i] - B[j])));
      used[j] = false;
    }
  };
  walk(0, 0);
  return best;
}

export function bruteWasserstein(a: Diagram, b: Diagram, p: 1 | 2): number {
  const agg: Aggregate = { kind: 'sum', p };
  const total = bruteFinite(a, b, agg) + bruteEssential(a, b, agg);
  return total ** (1 / p);
}

export function bruteBottleneck(a: Diagram, b: Diagram): number {
  const agg: Aggregate = { kind: 'max' };
  return Math.max(bruteFinite(a, b, agg), bruteEssential(a, b, agg));
}

/**
 * Σ cost^p of the optimal matching of the finite points by the textbook O(N³) Hungarian method on
 * the full augmented matrix (every diagonal copy reachable from every point): slow, but independent
 * of the engine's reduced formulation, warm start and row reduction. For diagrams of a few hundred points.
 */
export function hungarianFinite(a: Diagram, b: Diagram, p: 1 | 2): number {
  const A = points(a, false);
  const B = points(b, false);
  const n = A.length;
  const m = B.length;
  const size = n + m;
  if (size === 0) return 0;
  const cost = (i: number, j: number) => {
    if (i < n && j < m) return linf(A[i], B[j]) ** p;
    if (i < n) return toDiagonal(A[i]) ** p;
    if (j < m) return toDiagonal(B[j]) ** p;
    return 0;
  };
  // 1-based potentials and matching, as in the classic formulation
  const u = new Float64Array(size + 1);
  const v = new Float64Array(size + 1);
  const rowOf = new Int32Array(size + 1);
  const way = new Int32Array(size + 1);
  for (let i = 1; i <= size; i++) {
    rowOf[0] = i;
    let j0 = 0;
    const minv = new Float64Array(size + 1).fill(Infinity);
    const used = new Uint8Array(size + 1);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= size; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= size; j++) {
        if (used[j]) {
          u[rowOf[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOf[j0] = rowOf[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= size; j++) total += cost(rowOf[j] - 1, j - 1);
  return total;
}
