// Approximate Wasserstein matching by a Gauss–Seidel auction with ε-scaling, following Kerber,
// Morozov and Nigmetov, "Geometry helps to compare persistence diagrams" (the method behind Hera).
//
// Same reduced formulation as matching-exact.ts: bidders are the points of A (0..n-1) and one
// diagonal copy per point of B (n..n+m-1); items are the points of B (0..m-1) and one diagonal copy
// per point of A (m..m+n-1). A point bids for a point of the other diagram or its own diagonal copy;
// a diagonal copy bids for its own point or any diagonal copy (cost 0).
// Geometry: the best and second-best B items for a bidder come from a k-d tree over B whose nodes
// keep the minimum price below them; the diagonal items sit in a min-heap by price.
// Stopping: after each phase the assignment cost P is an upper bound of the optimum and the prices
// give a dual lower bound D; the result P is returned once P ≤ (1 + δ)^p · D, which guarantees
// P^(1/p) ≤ (1 + δ) · W_p.

import {
  INF,
  allocF64,
  allocI32,
  diagonalCosts,
  fillI32,
  getF,
  getI,
  linf,
  maxF64,
  powP,
  setF,
  setI,
} from './matching-common';

const LEAF_SIZE: i32 = 8;
const EPSILON_RATIO: f64 = 5;

let n: i32 = 0;
let m: i32 = 0;
let p: i32 = 1;
let aB: usize = 0;
let aD: usize = 0;
let bB: usize = 0;
let bD: usize = 0;
let diagA: usize = 0;
let diagB: usize = 0;
let price: usize = 0; // per item

// k-d tree over the points of B (heap-numbered nodes, root 1)
let order: usize = 0; // item ids, grouped by leaf
let leafOf: usize = 0; // per B item: its leaf node
let nodeLo: usize = 0;
let nodeHi: usize = 0; // hi < 0 marks an internal node: -(hi) is still the range end
let boxX0: usize = 0;
let boxX1: usize = 0;
let boxY0: usize = 0;
let boxY1: usize = 0;
let nodeMinPrice: usize = 0;
let stack: usize = 0;

// min-heap of diagonal items (index k stands for item m + k) by price
let heapItems: usize = 0;
let heapPos: usize = 0;

// results of the last best-two query
let bestItem: i32 = -1;
let bestValue: f64 = INF;
let secondValue: f64 = INF;

/** Phases the last auction ran (for benchmarks and tests). */
let lastPhases: i32 = 0;
/** Dual lower bound of the last auction (Σ cost^p), for tests of the stopping rule. */
let lastLowerBound: f64 = 0;

/** Item prices of the last auction (0 when it returned before pricing anything); read by the exact solver's warm start. */
export function auctionPrices(): usize {
  return price;
}

export function auctionPhases(): i32 {
  return lastPhases;
}

export function auctionLowerBound(): f64 {
  return lastLowerBound;
}

function cost(i: i32, j: i32): f64 {
  if (i < n) {
    if (j < m) return powP(linf(getF(aB, i), getF(aD, i), getF(bB, j), getF(bD, j)), p);
    return j - m == i ? getF(diagA, i) : INF;
  }
  if (j >= m) return 0;
  return j == i - n ? getF(diagB, j) : INF;
}

/** Moves order[lo..hi) so that order[k] holds the item a sort by `coords` would put there. */
function selectByCoordinate(coords: usize, lo: i32, hi: i32, k: i32): void {
  let l = lo;
  let r = hi - 1;
  while (r > l) {
    const pivot = getF(coords, getI(order, (l + r) >>> 1));
    let i = l;
    let j = r;
    while (i <= j) {
      while (getF(coords, getI(order, i)) < pivot) i++;
      while (getF(coords, getI(order, j)) > pivot) j--;
      if (i <= j) {
        const t = getI(order, i);
        setI(order, i, getI(order, j));
        setI(order, j, t);
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

function buildTree(node: i32, lo: i32, hi: i32): void {
  let x0 = INF;
  let x1 = -INF;
  let y0 = INF;
  let y1 = -INF;
  for (let k = lo; k < hi; k++) {
    const j = getI(order, k);
    const x = getF(bB, j);
    const y = getF(bD, j);
    x0 = min(x0, x);
    x1 = max(x1, x);
    y0 = min(y0, y);
    y1 = max(y1, y);
  }
  setF(boxX0, node, x0);
  setF(boxX1, node, x1);
  setF(boxY0, node, y0);
  setF(boxY1, node, y1);
  setF(nodeMinPrice, node, 0);
  setI(nodeLo, node, lo);
  if (hi - lo <= LEAF_SIZE) {
    setI(nodeHi, node, hi);
    for (let k = lo; k < hi; k++) setI(leafOf, getI(order, k), node);
    return;
  }
  setI(nodeHi, node, -hi);
  const mid = (lo + hi) >>> 1;
  selectByCoordinate(x1 - x0 >= y1 - y0 ? bB : bD, lo, hi, mid);
  buildTree(2 * node, lo, mid);
  buildTree(2 * node + 1, mid, hi);
}

/** Sets the price of a B item and refreshes the minimum prices on its path to the root. */
function setPointPrice(j: i32, value: f64): void {
  setF(price, j, value);
  let node = getI(leafOf, j);
  let low = INF;
  for (let k = getI(nodeLo, node), hi = getI(nodeHi, node); k < hi; k++) low = min(low, getF(price, getI(order, k)));
  setF(nodeMinPrice, node, low);
  node >>= 1;
  while (node >= 1) {
    setF(nodeMinPrice, node, min(getF(nodeMinPrice, 2 * node), getF(nodeMinPrice, 2 * node + 1)));
    node >>= 1;
  }
}

/** Lower bound of cost + price over a k-d node for the bidder at (x, y). */
function nodeBound(node: i32, x: f64, y: f64): f64 {
  const gap = max(max(getF(boxX0, node) - x, x - getF(boxX1, node)), max(getF(boxY0, node) - y, y - getF(boxY1, node)));
  return powP(max(gap, 0), p) + getF(nodeMinPrice, node);
}

/** Best and second-best values of cost + price among B items for the A point `i`. */
function queryPoints(i: i32): void {
  const x = getF(aB, i);
  const y = getF(aD, i);
  bestItem = -1;
  bestValue = INF;
  secondValue = INF;
  let top = 0;
  setI(stack, top++, 1);
  while (top > 0) {
    const node = getI(stack, --top);
    if (nodeBound(node, x, y) >= secondValue) continue;
    const hi = getI(nodeHi, node);
    if (hi >= 0) {
      for (let k = getI(nodeLo, node); k < hi; k++) {
        const j = getI(order, k);
        const value = powP(linf(x, y, getF(bB, j), getF(bD, j)), p) + getF(price, j);
        if (value < bestValue) {
          secondValue = bestValue;
          bestValue = value;
          bestItem = j;
        } else if (value < secondValue) {
          secondValue = value;
        }
      }
    } else {
      // visit the more promising child first: push it last
      const left = 2 * node;
      const right = left + 1;
      if (nodeBound(left, x, y) <= nodeBound(right, x, y)) {
        setI(stack, top++, right);
        setI(stack, top++, left);
      } else {
        setI(stack, top++, left);
        setI(stack, top++, right);
      }
    }
  }
}

function heapPrice(slot: i32): f64 {
  return getF(price, m + getI(heapItems, slot));
}

/** Restores the heap after the price of diagonal item m + k went up. */
function siftDown(k: i32): void {
  let slot = getI(heapPos, k);
  const value = getF(price, m + k);
  while (true) {
    const left = 2 * slot + 1;
    if (left >= n) break;
    let child = left;
    if (left + 1 < n && heapPrice(left + 1) < heapPrice(left)) child = left + 1;
    if (heapPrice(child) >= value) break;
    const other = getI(heapItems, child);
    setI(heapItems, slot, other);
    setI(heapPos, other, slot);
    slot = child;
  }
  setI(heapItems, slot, k);
  setI(heapPos, k, slot);
}

/** Offers item j at value v to the running best-two of the current bidder. */
function offer(j: i32, v: f64): void {
  if (v < bestValue) {
    secondValue = bestValue;
    bestValue = v;
    bestItem = j;
  } else if (v < secondValue) {
    secondValue = v;
  }
}

/** Best and second-best items (cost + price) for any bidder. */
function bestTwo(bidder: i32): void {
  if (bidder < n) {
    queryPoints(bidder);
    offer(m + bidder, getF(diagA, bidder) + getF(price, m + bidder));
  } else {
    const j = bidder - n;
    bestItem = -1;
    bestValue = INF;
    secondValue = INF;
    offer(j, getF(diagB, j) + getF(price, j));
    offer(m + getI(heapItems, 0), heapPrice(0));
    if (n > 1) {
      let second = heapPrice(1);
      if (n > 2) second = min(second, heapPrice(2));
      if (second < secondValue) secondValue = second;
    }
  }
}

/**
 * Wasserstein cost Σ d∞^p of A to B, within relative error δ on W_p (the p-th root): the result P
 * satisfies W_p^p ≤ P ≤ ((1 + δ) · W_p)^p. `points` as in matching-common.ts.
 */
export function wassersteinAuction(points: usize, countA: i32, countB: i32, power: i32, relativeError: f64): f64 {
  n = countA;
  m = countB;
  p = power;
  aB = points;
  aD = aB + ((<usize>n) << 3);
  bB = aD + ((<usize>n) << 3);
  bD = bB + ((<usize>m) << 3);
  diagA = diagonalCosts(aB, aD, n, p);
  diagB = diagonalCosts(bB, bD, m, p);
  lastPhases = 0;
  lastLowerBound = 0;
  price = 0;
  if (n == 0 || m == 0) {
    let all: f64 = 0;
    for (let i = 0; i < n; i++) all += getF(diagA, i);
    for (let j = 0; j < m; j++) all += getF(diagB, j);
    lastLowerBound = all;
    return all;
  }
  const largest = max(maxF64(diagA, n), maxF64(diagB, m));
  if (largest == 0) return 0; // every point lies on the diagonal

  const size = n + m;
  price = allocF64(size);
  for (let j = 0; j < size; j++) setF(price, j, 0);
  const owner = allocI32(size);
  const assigned = allocI32(size);
  const queue = allocI32(size);

  // k-d tree over B
  order = allocI32(m);
  for (let j = 0; j < m; j++) setI(order, j, j);
  leafOf = allocI32(m);
  const nodes = 4 * m + 16;
  nodeLo = allocI32(nodes);
  nodeHi = allocI32(nodes);
  boxX0 = allocF64(nodes);
  boxX1 = allocF64(nodes);
  boxY0 = allocF64(nodes);
  boxY1 = allocF64(nodes);
  nodeMinPrice = allocF64(nodes);
  stack = allocI32(256);
  buildTree(1, 0, m);

  heapItems = allocI32(n);
  heapPos = allocI32(n);
  for (let k = 0; k < n; k++) {
    setI(heapItems, k, k);
    setI(heapPos, k, k);
  }

  const target = powP(1 + relativeError, p);
  let epsilon = largest / 4;
  const smallestEpsilon = largest * 1e-15;
  let total: f64 = 0;
  while (true) {
    lastPhases++;
    // a new phase keeps the prices and rebids every bidder with the finer ε
    fillI32(owner, size, -1);
    fillI32(assigned, size, -1);
    let head = 0;
    let count = size;
    for (let b = 0; b < size; b++) setI(queue, b, b);
    while (count > 0) {
      const bidder = getI(queue, head);
      head = head + 1 == size ? 0 : head + 1;
      count--;
      bestTwo(bidder);
      const item = bestItem;
      const raise = secondValue - bestValue + epsilon;
      const newPrice = getF(price, item) + raise;
      const previous = getI(owner, item);
      setI(owner, item, bidder);
      setI(assigned, bidder, item);
      if (previous >= 0) {
        setI(assigned, previous, -1);
        let tail = head + count;
        if (tail >= size) tail -= size;
        setI(queue, tail, previous);
        count++;
      }
      if (item < m) setPointPrice(item, newPrice);
      else {
        setF(price, item, newPrice);
        siftDown(item - m);
      }
    }

    total = 0;
    let lower: f64 = 0;
    for (let b = 0; b < size; b++) {
      total += cost(b, getI(assigned, b));
      bestTwo(b);
      lower += bestValue;
    }
    for (let j = 0; j < size; j++) lower -= getF(price, j);
    lastLowerBound = max(lower, 0);
    if (total <= 0) return 0;
    if (lower > 0 && total <= target * lower) return total;
    if (epsilon < smallestEpsilon) return total; // prices at full precision: P is optimal up to rounding
    epsilon /= EPSILON_RATIO;
  }
}
