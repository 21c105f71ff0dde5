// Exact bottleneck distance between the finite parts of two diagrams.
//
// The answer is one of the candidate values: a distance to the diagonal or an L∞ distance between
// a point of A and a point of B. A threshold r is feasible when A and B can be matched with every
// cost ≤ r. Points farther than r from the diagonal ("far" points) must then be matched to points
// of the other diagram within r; the rest may go to the diagonal. So r is feasible exactly when the
// graph of A–B pairs within r has a matching covering the far points of both sides, and by the
// Mendelsohn–Dulmage theorem that holds when one matching covers the far points of A and another
// covers those of B. Each test is a Hopcroft–Karp run whose edges are found geometrically: the
// other diagram is sorted by birth, so the points within r of (x, y) lie in the birth window
// [x − r, x + r] and only their deaths need checking. The search halves the candidate list by
// selection (no full sort): O(C) for C candidates plus O(log C) matchings, and no edge lists.
// Memory is the candidate list (8 bytes per pair closer than the all-to-diagonal bound); past a cap
// the search first bisects on values, storing only the candidates left in the bracket.

import {
  INF,
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

// each diagram's points in birth order: original index, birth and death of the k-th point
let orderA: usize = 0;
let birthsA: usize = 0;
let deathsA: usize = 0;
let orderB: usize = 0;
let birthsB: usize = 0;
let deathsB: usize = 0;

// the current feasibility test: left points to cover, looked up in the sorted right side
let leftBirths: usize = 0;
let leftDeaths: usize = 0;
let rightOrder: usize = 0;
let rightBirths: usize = 0;
let rightDeaths: usize = 0;
let rightCount: i32 = 0;
let radius: f64 = 0;
let leftCount: i32 = 0;

// Hopcroft–Karp working arrays, sized for max(n, m) and indexed by original point index
let mateLeft: usize = 0;
let mateRight: usize = 0;
let layer: usize = 0;
let queue: usize = 0;
let cursor: usize = 0; // next window position to try in the depth-first search
let windowEnd: usize = 0;
let windowStart: usize = 0;
let left: usize = 0; // the left vertices that must be covered

const UNSEEN: i32 = 0x7fffffff;

/** Writes the birth order of a diagram into order, and births and deaths in that order. */
function sortByBirth(
  births: usize,
  deaths: usize,
  count: i32,
  order: usize,
  sortedBirths: usize,
  sortedDeaths: usize,
): void {
  for (let k = 0; k < count; k++) setI(order, k, k);
  sortIndicesByKey(order, births, 0, count - 1);
  for (let k = 0; k < count; k++) {
    const i = getI(order, k);
    setF(sortedBirths, k, getF(births, i));
    setF(sortedDeaths, k, getF(deaths, i));
  }
}

function sortIndicesByKey(order: usize, keys: usize, lo: i32, hi: i32): void {
  while (hi - lo > 12) {
    const pivot = getF(keys, getI(order, (lo + hi) >>> 1));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (getF(keys, getI(order, i)) < pivot) i++;
      while (getF(keys, getI(order, j)) > pivot) j--;
      if (i <= j) {
        const t = getI(order, i);
        setI(order, i, getI(order, j));
        setI(order, j, t);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      sortIndicesByKey(order, keys, lo, j);
      lo = i;
    } else {
      sortIndicesByKey(order, keys, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const idx = getI(order, i);
    const key = getF(keys, idx);
    let j = i - 1;
    while (j >= lo && getF(keys, getI(order, j)) > key) {
      setI(order, j + 1, getI(order, j));
      j--;
    }
    setI(order, j + 1, idx);
  }
}

/** First position in the right side's birth order whose birth is ≥ x (strict: > x). */
function searchBirth(x: f64, strict: bool): i32 {
  let lo = 0;
  let hi = rightCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const b = getF(rightBirths, mid);
    if (b < x || (strict && b == x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when right-side position k is within the radius of left point u (the exact candidate test). */
function isEdge(u: i32, k: i32): bool {
  return linf(getF(leftBirths, u), getF(leftDeaths, u), getF(rightBirths, k), getF(rightDeaths, k)) <= radius;
}

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
    for (let k = getI(windowStart, u), end = getI(windowEnd, u); k < end; k++) {
      if (!isEdge(u, k)) continue;
      const w = getI(mateRight, getI(rightOrder, k));
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
  for (let k = getI(cursor, u), end = getI(windowEnd, u); k < end; k++) {
    setI(cursor, u, k + 1);
    if (!isEdge(u, k)) continue;
    const v = getI(rightOrder, k);
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

/** True when every vertex listed in `left` can be matched to a right point within the radius. */
function coversAll(): bool {
  if (leftCount == 0) return true;
  if (leftCount > rightCount) return false;
  for (let k = 0; k < leftCount; k++) {
    const u = getI(left, k);
    setI(mateLeft, u, -1);
    // the birth window, widened by a hair so rounding in x ± r never drops an edge; isEdge decides
    const x = getF(leftBirths, u);
    const slack = (abs(x) + radius) * 1e-12;
    setI(windowStart, u, searchBirth(x - radius - slack, false));
    setI(windowEnd, u, searchBirth(x + radius + slack, true));
  }
  for (let v = 0; v < rightCount; v++) setI(mateRight, v, -1);
  let matched = 0;
  while (bfs()) {
    for (let k = 0; k < leftCount; k++) {
      const u = getI(left, k);
      setI(cursor, u, getI(windowStart, u));
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
  leftCount = 0;
  for (let i = 0; i < n; i++) if (getF(diagA, i) > r) setI(left, leftCount++, i);
  leftBirths = aB;
  leftDeaths = aD;
  rightOrder = orderB;
  rightBirths = birthsB;
  rightDeaths = deathsB;
  rightCount = m;
  if (!coversAll()) return false;
  // far points of B must find partners in A
  leftCount = 0;
  for (let j = 0; j < m; j++) if (getF(diagB, j) > r) setI(left, leftCount++, j);
  leftBirths = bB;
  leftDeaths = bD;
  rightOrder = orderA;
  rightBirths = birthsA;
  rightDeaths = deathsA;
  rightCount = n;
  return coversAll();
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

  orderA = allocI32(n);
  birthsA = allocF64(n);
  deathsA = allocF64(n);
  sortByBirth(aB, aD, n, orderA, birthsA, deathsA);
  orderB = allocI32(m);
  birthsB = allocF64(m);
  deathsB = allocF64(m);
  sortByBirth(bB, bD, m, orderB, birthsB, deathsB);
  const side = max(n, m);
  mateLeft = allocI32(side);
  mateRight = allocI32(side);
  layer = allocI32(side);
  queue = allocI32(side);
  cursor = allocI32(side);
  windowStart = allocI32(side);
  windowEnd = allocI32(side);
  left = allocI32(side);

  // The answer lies in (low, high]: low is infeasible (or below every cost), high is feasible.
  // When too many candidates fall in that bracket to store, bisect on values first; feasibility
  // only changes at candidate values, so the bracket keeps the answer.
  let low = -INF;
  let high = upper;
  let count = countCandidates(low, high, upper);
  for (let step = 0; count > candidateCap && step < 64; step++) {
    const mid = low < 0 ? high * 0.5 : low + (high - low) * 0.5;
    if (mid <= low || mid >= high) break;
    if (feasible(mid)) high = mid;
    else low = mid;
    count = countCandidates(low, high, upper);
  }

  const candidates = allocF64(count);
  count = 0;
  for (let i = 0; i < n; i++) {
    const x = getF(aB, i);
    const y = getF(aD, i);
    for (let j = 0; j < m; j++) {
      const dist = linf(x, y, getF(bB, j), getF(bD, j));
      if (dist > low && dist <= high && dist < upper) setF(candidates, count++, dist);
    }
  }
  for (let i = 0; i < n; i++) {
    const c = getF(diagA, i);
    if (c > low && c <= high && c < upper) setF(candidates, count++, c);
  }
  for (let j = 0; j < m; j++) {
    const c = getF(diagB, j);
    if (c > low && c <= high && c < upper) setF(candidates, count++, c);
  }

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

/** Candidate values c with low < c ≤ high and c < upper (upper itself is the fallback answer). */
function countCandidates(low: f64, high: f64, upper: f64): i32 {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const x = getF(aB, i);
    const y = getF(aD, i);
    for (let j = 0; j < m; j++) {
      const dist = linf(x, y, getF(bB, j), getF(bD, j));
      if (dist > low && dist <= high && dist < upper) count++;
    }
  }
  for (let i = 0; i < n; i++) {
    const c = getF(diagA, i);
    if (c > low && c <= high && c < upper) count++;
  }
  for (let j = 0; j < m; j++) {
    const c = getF(diagB, j);
    if (c > low && c <= high && c < upper) count++;
  }
  return count;
}

/** Most candidate distances stored at once (8 bytes each); above it the search bisects on values first. */
let candidateCap: i32 = 1 << 22;

/** Changes the candidate cap (tests use a tiny one to exercise the bisection path). */
export function setBottleneckCandidateCap(cap: i32): void {
  candidateCap = max(cap, 1);
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
