// Exact bottleneck distance between the finite parts of two diagrams.
//
// The answer is one of the candidate values: a distance to the diagonal or an L∞ distance between
// a point of A and a point of B. A threshold r is feasible when A and B can be matched with every
// cost ≤ r. Points farther than r from the diagonal ("far" points) must then be matched to points
// of the other diagram within r; the rest may go to the diagonal. So r is feasible exactly when the
// graph of A–B pairs within r has a matching covering the far points of both sides, and by the
// Mendelsohn–Dulmage theorem that holds when one matching covers the far points of A and another
// covers those of B. Each test is a Hopcroft–Karp run; the search halves the candidate list by
// selection (no full sort), so it costs O(C) plus O(log C) matchings for C candidates.

import {
  allocF64,
  allocI32,
  diagonalCosts,
  getF,
  getI,
  linf,
  maxF64,
  selectF64,
  setF,
  setI,
  sortF64,
} from './matching-common';

let n: i32 = 0;
let m: i32 = 0;
let aB: usize = 0;
let aD: usize = 0;
let bB: usize = 0;
let bD: usize = 0;
let diagA: usize = 0;
let diagB: usize = 0;

// close pairs (L∞ ≤ the all-to-diagonal bound), stored twice: grouped by A point and by B point
let startA: usize = 0; // n + 1 offsets
let otherA: usize = 0; // neighbour (B index) per pair
let distA: usize = 0;
let startB: usize = 0;
let otherB: usize = 0;
let distB: usize = 0;

// Hopcroft–Karp working arrays, sized for max(n, m)
let mateLeft: usize = 0;
let mateRight: usize = 0;
let layer: usize = 0;
let queue: usize = 0;
let edgeCursor: usize = 0;
let left: usize = 0; // the left vertices that must be covered

let graphStart: usize = 0;
let graphOther: usize = 0;
let graphDist: usize = 0;
let radius: f64 = 0;
let leftCount: i32 = 0;

const UNSEEN: i32 = 0x7fffffff;

function bfs(): bool {
  let head = 0;
  let tail = 0;
  for (let k = 0; k < leftCount; k++) {
    const u = getI(left, k);
    if (getI(mateLeft, u) < 0) {
      setI(layer, u, 0);
      setI(queue, tail++, u);
    } else setI(layer, u, UNSEEN);
  }
  let found = false;
  while (head < tail) {
    const u = getI(queue, head++);
    const next = getI(layer, u) + 1;
    for (let e = getI(graphStart, u), end = getI(graphStart, u + 1); e < end; e++) {
      if (getF(graphDist, e) > radius) continue;
      const w = getI(mateRight, getI(graphOther, e));
      if (w < 0) found = true;
      else if (getI(layer, w) == UNSEEN) {
        setI(layer, w, next);
        setI(queue, tail++, w);
      }
    }
  }
  return found;
}

function dfs(u: i32): bool {
  for (let e = getI(edgeCursor, u), end = getI(graphStart, u + 1); e < end; e++) {
    setI(edgeCursor, u, e + 1);
    if (getF(graphDist, e) > radius) continue;
    const v = getI(graphOther, e);
    const w = getI(mateRight, v);
    if (w < 0 || (getI(layer, w) == getI(layer, u) + 1 && dfs(w))) {
      setI(mateLeft, u, v);
      setI(mateRight, v, u);
      return true;
    }
  }
  setI(layer, u, UNSEEN);
  return false;
}

/** True when every vertex listed in `left` can be matched along edges of length ≤ radius. */
function coversAll(leftSize: i32, rightSize: i32): bool {
  leftCount = leftSize;
  if (leftCount == 0) return true;
  if (leftCount > rightSize) return false;
  for (let k = 0; k < leftCount; k++) setI(mateLeft, getI(left, k), -1);
  for (let v = 0; v < rightSize; v++) setI(mateRight, v, -1);
  let matched = 0;
  while (bfs()) {
    for (let k = 0; k < leftCount; k++) {
      const u = getI(left, k);
      setI(edgeCursor, u, getI(graphStart, u));
    }
    for (let k = 0; k < leftCount; k++) {
      const u = getI(left, k);
      if (getI(mateLeft, u) < 0 && dfs(u)) matched++;
    }
    if (matched == leftCount) return true;
  }
  return matched == leftCount;
}

function feasible(r: f64): bool {
  radius = r;
  // far points of A must find partners in B
  let count = 0;
  for (let i = 0; i < n; i++) if (getF(diagA, i) > r) setI(left, count++, i);
  graphStart = startA;
  graphOther = otherA;
  graphDist = distA;
  if (!coversAll(count, m)) return false;
  count = 0;
  for (let j = 0; j < m; j++) if (getF(diagB, j) > r) setI(left, count++, j);
  graphStart = startB;
  graphOther = otherB;
  graphDist = distB;
  return coversAll(count, n);
}

/** Bottleneck distance between the finite points of A and B (`points` as in matching-common.ts). */
export function bottleneckExact(points: usize, countA: i32, countB: i32): f64 {
  n = countA;
  m = countB;
  aB = points;
  aD = aB + ((<usize>n) << 3);
  bB = aD + ((<usize>n) << 3);
  bD = bB + ((<usize>m) << 3);
  diagA = diagonalCosts(aB, aD, n, 0);
  diagB = diagonalCosts(bB, bD, m, 0);
  // matching everything to the diagonal is always possible
  const upper = max(maxF64(diagA, n), maxF64(diagB, m));
  if (n == 0 || m == 0 || upper == 0) return upper;

  // collect the close pairs grouped by A; a pair farther than `upper` can never be used
  startA = allocI32(n + 1);
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    setI(startA, i, pairs);
    const x = getF(aB, i);
    const y = getF(aD, i);
    for (let j = 0; j < m; j++) if (linf(x, y, getF(bB, j), getF(bD, j)) < upper) pairs++;
  }
  setI(startA, n, pairs);
  otherA = allocI32(pairs);
  distA = allocF64(pairs);
  startB = allocI32(m + 1);
  for (let j = 0; j <= m; j++) setI(startB, j, 0);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const x = getF(aB, i);
    const y = getF(aD, i);
    for (let j = 0; j < m; j++) {
      const dist = linf(x, y, getF(bB, j), getF(bD, j));
      if (dist < upper) {
        setI(otherA, e, j);
        setF(distA, e, dist);
        setI(startB, j + 1, getI(startB, j + 1) + 1);
        e++;
      }
    }
  }
  for (let j = 0; j < m; j++) setI(startB, j + 1, getI(startB, j + 1) + getI(startB, j));
  otherB = allocI32(pairs);
  distB = allocF64(pairs);
  const fill = allocI32(m);
  for (let j = 0; j < m; j++) setI(fill, j, getI(startB, j));
  for (let i = 0; i < n; i++) {
    for (let k = getI(startA, i), end = getI(startA, i + 1); k < end; k++) {
      const j = getI(otherA, k);
      const slot = getI(fill, j);
      setI(fill, j, slot + 1);
      setI(otherB, slot, i);
      setF(distB, slot, getF(distA, k));
    }
  }

  const side = max(n, m);
  mateLeft = allocI32(side);
  mateRight = allocI32(side);
  layer = allocI32(side);
  queue = allocI32(side);
  edgeCursor = allocI32(side);
  left = allocI32(side);

  // candidates below the upper bound: pair distances and distances to the diagonal
  const candidates = allocF64(pairs + n + m);
  let count = 0;
  for (let k = 0; k < pairs; k++) setF(candidates, count++, getF(distA, k));
  for (let i = 0; i < n; i++) if (getF(diagA, i) < upper) setF(candidates, count++, getF(diagA, i));
  for (let j = 0; j < m; j++) if (getF(diagB, j) < upper) setF(candidates, count++, getF(diagB, j));

  // smallest feasible candidate: halve [lo, hi) by selecting its middle element
  let best = upper;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    selectF64(candidates, lo, hi, mid);
    const r = getF(candidates, mid);
    if (feasible(r)) {
      best = r;
      hi = mid;
    } else lo = mid + 1;
  }
  return best;
}

/**
 * Cost of matching essential points of one dimension by sorted births (both arrays of length
 * `count`, sorted in place): Σ |b − b'|^p for p = 1 or 2, or the largest |b − b'| for p = 0.
 */
export function essentialMatchCost(births: usize, count: i32, power: i32): f64 {
  const other = births + ((<usize>count) << 3);
  sortF64(births, count);
  sortF64(other, count);
  let total: f64 = 0;
  for (let k = 0; k < count; k++) {
    const gap = abs(getF(births, k) - getF(other, k));
    if (power == 0) total = max(total, gap);
    else total += power == 2 ? gap * gap : gap;
  }
  return total;
}
