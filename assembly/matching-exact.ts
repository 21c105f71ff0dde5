// Exact Wasserstein matching by shortest augmenting paths with potentials (Jonker–Volgenant).
//
// The assignment problem is the reduced (n+m)×(n+m) formulation of two diagrams A (n points)
// and B (m points):
//   rows    0..n-1      the points of A        rows    n..n+m-1   diagonal copies, one per B point
//   columns 0..m-1      the points of B        columns m..m+n-1   diagonal copies, one per A point
// A point of A may match any point of B, or only its own diagonal copy (cost = its distance to
// the diagonal); likewise for B; two diagonal copies match at cost 0. Restricting each point to
// its own copy loses nothing, since the copies are interchangeable, and keeps rows sparse.

import {
  INF,
  allocF64,
  allocI32,
  diagonalCosts,
  fillI32,
  getF,
  getI,
  linf,
  powP,
  setF,
  setI,
  sumF64,
} from './matching-common';
import { auctionPrices, wassersteinAuction } from './matching-auction';

/** From this many rows (points of both diagrams) on, potentials start from an auction's prices. */
const WARM_START_SIZE: i32 = 200;
const WARM_START_ERROR: f64 = 0.001;

let n: i32 = 0;
let m: i32 = 0;
let p: i32 = 1;
let aB: usize = 0;
let aD: usize = 0;
let bB: usize = 0;
let bD: usize = 0;
let diagA: usize = 0;
let diagB: usize = 0;

function cost(i: i32, j: i32): f64 {
  if (i < n) {
    if (j < m) return powP(linf(getF(aB, i), getF(aD, i), getF(bB, j), getF(bD, j)), p);
    return j - m == i ? getF(diagA, i) : INF;
  }
  if (j >= m) return 0;
  return j == i - n ? getF(diagB, j) : INF;
}

/**
 * Optimal total cost Σ d∞^p of matching A to B (diagonal allowed), for p = 1 or 2.
 * `points` holds births/deaths of A then B (see matching-common.ts). Returns the sum, not its root.
 */
export function wassersteinExact(points: usize, countA: i32, countB: i32, power: i32): f64 {
  n = countA;
  m = countB;
  p = power;
  aB = points;
  aD = aB + ((<usize>n) << 3);
  bB = aD + ((<usize>n) << 3);
  bD = bB + ((<usize>m) << 3);
  diagA = diagonalCosts(aB, aD, n, p);
  diagB = diagonalCosts(bB, bD, m, p);
  const size = n + m;
  if (n == 0 || m == 0) return sumF64(diagA, n) + sumF64(diagB, m);

  const rowCol = allocI32(size); // column assigned to each row, -1 when free
  const colRow = allocI32(size); // row assigned to each column, -1 when free
  const v = allocF64(size); // column potentials; row potentials stay implicit
  fillI32(rowCol, size, -1);
  fillI32(colRow, size, -1);

  if (size >= WARM_START_SIZE && warmStart(points, v, size)) {
    // each row takes its cheapest column when still free: tight, so dual feasible
    for (let i = 0; i < size; i++) {
      rowBestTwo(i, v);
      if (getI(colRow, bestColumn) < 0) {
        setI(rowCol, i, bestColumn);
        setI(colRow, bestColumn, i);
      }
    }
  } else columnReduction(rowCol, colRow, v, size);

  augmentingRowReduction(rowCol, colRow, v, size);

  const d = allocF64(size); // tentative reduced path lengths to each column
  const pred = allocI32(size); // row preceding each column on its shortest path
  // columns partitioned: [0,low) done, [low,up) at the current minimum, [up,size) still to do
  cols = allocI32(size);
  position = allocI32(size); // where each column sits in cols

  for (let free = 0; free < size; free++) {
    if (getI(rowCol, free) >= 0) continue;
    // Dijkstra over columns with reduced costs, from this free row to the nearest free column
    for (let j = 0; j < size; j++) {
      setF(d, j, cost(free, j) - getF(v, j));
      setI(pred, j, free);
      setI(cols, j, j);
      setI(position, j, j);
    }
    // Every diagonal row costs 0 to every diagonal column, so a diagonal row only improves those
    // columns when its offset h beats the best one seen in this search; others skip that loop.
    let bestDiagonalOffset = free >= n ? 0 : -INF;
    let low = 0;
    let up = 0;
    let last = 0;
    let minD: f64 = 0;
    let endOfPath = -1;
    while (endOfPath < 0) {
      if (low == up) {
        // no column left at the current distance: collect those at the next smallest one
        last = low;
        minD = getF(d, getI(cols, up));
        up++;
        for (let k = up; k < size; k++) {
          const j = getI(cols, k);
          const dj = getF(d, j);
          if (dj <= minD) {
            if (dj < minD) {
              up = low;
              minD = dj;
            }
            moveToScan(k, j, up);
            up++;
          }
        }
        if (minD == INF) abort('matching: no augmenting path (inconsistent cost matrix)');
        for (let k = low; k < up; k++) {
          const j = getI(cols, k);
          if (getI(colRow, j) < 0) {
            endOfPath = j;
            break;
          }
        }
        if (endOfPath >= 0) break;
      }
      // extend the search tree through the row matched to the next column at distance minD
      const j1 = getI(cols, low);
      low++;
      const i = getI(colRow, j1);
      const h = cost(i, j1) - getF(v, j1) - minD;
      // costs are spelled out in these loops, not called: this is where the solver spends its time
      if (i < n) {
        const x = getF(aB, i);
        const y = getF(aD, i);
        const ownColumn = m + i;
        for (let k = up; k < size; k++) {
          const j = getI(cols, k);
          let c: f64;
          if (j < m) c = powP(linf(x, y, getF(bB, j), getF(bD, j)), p);
          else if (j == ownColumn) c = getF(diagA, i);
          else continue;
          const reduced = c - getF(v, j) - h;
          if (reduced < getF(d, j)) {
            setF(d, j, reduced);
            setI(pred, j, i);
            if (reduced <= minD) {
              if (getI(colRow, j) < 0) {
                endOfPath = j;
                break;
              }
              moveToScan(k, j, up);
              up++;
            }
          }
        }
      } else {
        const ownColumn = i - n;
        if (h > bestDiagonalOffset) {
          bestDiagonalOffset = h;
          for (let k = up; k < size; k++) {
            const j = getI(cols, k);
            let c: f64;
            if (j >= m) c = 0;
            else if (j == ownColumn) c = getF(diagB, ownColumn);
            else continue;
            const reduced = c - getF(v, j) - h;
            if (reduced < getF(d, j)) {
              setF(d, j, reduced);
              setI(pred, j, i);
              if (reduced <= minD) {
                if (getI(colRow, j) < 0) {
                  endOfPath = j;
                  break;
                }
                moveToScan(k, j, up);
                up++;
              }
            }
          }
        } else {
          const k = getI(position, ownColumn);
          if (k >= up) {
            const reduced = getF(diagB, ownColumn) - getF(v, ownColumn) - h;
            if (reduced < getF(d, ownColumn)) {
              setF(d, ownColumn, reduced);
              setI(pred, ownColumn, i);
              if (reduced <= minD) {
                if (getI(colRow, ownColumn) < 0) {
                  endOfPath = ownColumn;
                } else {
                  moveToScan(k, ownColumn, up);
                  up++;
                }
              }
            }
          }
        }
      }
    }
    // update potentials of the finished columns, then flip the path
    for (let k = 0; k < last; k++) {
      const j = getI(cols, k);
      setF(v, j, getF(v, j) + getF(d, j) - minD);
    }
    let j = endOfPath;
    while (true) {
      const i = getI(pred, j);
      setI(colRow, j, i);
      const previous = getI(rowCol, i);
      setI(rowCol, i, j);
      j = previous;
      if (i == free) break;
    }
  }

  let total: f64 = 0;
  for (let i = 0; i < size; i++) total += cost(i, getI(rowCol, i));
  return total;
}

/** Initial potentials by column minima; each column's cheapest row takes it when still free. */
function columnReduction(rowCol: usize, colRow: usize, v: usize, size: i32): void {
  // This is dual feasible and leaves most rows matched on tight edges before any search.
  for (let j = 0; j < m; j++) {
    let best = getF(diagB, j);
    let bestRow = n + j;
    const xb = getF(bB, j);
    const yb = getF(bD, j);
    for (let i = 0; i < n; i++) {
      const c = powP(linf(getF(aB, i), getF(aD, i), xb, yb), p);
      if (c < best || (c == best && getI(rowCol, bestRow) >= 0 && getI(rowCol, i) < 0)) {
        best = c;
        bestRow = i;
      }
    }
    setF(v, j, best);
    if (getI(rowCol, bestRow) < 0) {
      setI(rowCol, bestRow, j);
      setI(colRow, j, bestRow);
    }
  }
  // diagonal copies of A points: a free diagonal row matches at cost 0, the minimum
  let nextDiagRow = n;
  for (let k = 0; k < n; k++) {
    const j = m + k;
    setF(v, j, 0);
    while (nextDiagRow < size && getI(rowCol, nextDiagRow) >= 0) nextDiagRow++;
    if (nextDiagRow < size) {
      setI(rowCol, nextDiagRow, j);
      setI(colRow, j, nextDiagRow);
    }
  }
}

/**
 * Potentials from an auction run: column j starts at −price_j. An ε-optimal price vector is
 * dual feasible once row potentials are taken as row minima (which the later phases do implicitly),
 * and it is close to optimal, so the shortest augmenting paths that follow stay short.
 * Returns false when the auction had nothing to price (all points on the diagonal).
 */
function warmStart(points: usize, v: usize, size: i32): bool {
  wassersteinAuction(points, n, m, p, WARM_START_ERROR);
  const prices = auctionPrices();
  if (prices == 0) return false;
  for (let j = 0; j < size; j++) setF(v, j, -getF(prices, j));
  return true;
}

let cols: usize = 0;
let position: usize = 0;

/** Swaps column j (at index k of cols) with the first column still to do, at index up. */
function moveToScan(k: i32, j: i32, up: i32): void {
  const other = getI(cols, up);
  setI(cols, k, other);
  setI(position, other, k);
  setI(cols, up, j);
  setI(position, j, up);
}

let bestColumn: i32 = -1;
let bestReduced: f64 = INF;
let secondColumn: i32 = -1;
let secondReduced: f64 = INF;

function offerColumn(j: i32, reduced: f64): void {
  if (reduced < bestReduced) {
    secondReduced = bestReduced;
    secondColumn = bestColumn;
    bestReduced = reduced;
    bestColumn = j;
  } else if (reduced < secondReduced) {
    secondReduced = reduced;
    secondColumn = j;
  }
}

/** The two smallest reduced costs c(i, j) − v[j] of row i over its finite columns. */
function rowBestTwo(i: i32, v: usize): void {
  bestColumn = -1;
  secondColumn = -1;
  bestReduced = INF;
  secondReduced = INF;
  if (i < n) {
    const x = getF(aB, i);
    const y = getF(aD, i);
    for (let j = 0; j < m; j++) offerColumn(j, powP(linf(x, y, getF(bB, j), getF(bD, j)), p) - getF(v, j));
    offerColumn(m + i, getF(diagA, i) - getF(v, m + i));
  } else {
    offerColumn(i - n, getF(diagB, i - n) - getF(v, i - n));
    for (let j = m; j < m + n; j++) offerColumn(j, -getF(v, j));
  }
}

/**
 * Jonker–Volgenant's augmenting row reduction: each free row takes its cheapest column, lowering
 * that column's potential to the row's second-cheapest reduced cost, and the row it displaces
 * continues at once. Cheap auction-like steps settle most rows before the shortest-path phase;
 * the potentials stay dual feasible throughout.
 */
function augmentingRowReduction(rowCol: usize, colRow: usize, v: usize, size: i32): void {
  const freeRows = allocI32(size);
  let numFree = 0;
  for (let i = 0; i < size; i++) if (getI(rowCol, i) < 0) setI(freeRows, numFree++, i);
  // ties in floating point could let rows chase each other for long: cap the immediate steps
  const cap = 8 * size;
  for (let pass = 0; pass < 8 && numFree > 0; pass++) {
    const previous = numFree;
    numFree = 0;
    let k = 0;
    let steps = 0;
    while (k < previous) {
      const i = getI(freeRows, k++);
      rowBestTwo(i, v);
      let j = bestColumn;
      let displaced = getI(colRow, j);
      const strict = bestReduced < secondReduced && secondReduced < INF;
      if (strict) setF(v, j, getF(v, j) - (secondReduced - bestReduced));
      else if (displaced >= 0 && secondColumn >= 0) {
        j = secondColumn;
        displaced = getI(colRow, j);
      }
      setI(rowCol, i, j);
      setI(colRow, j, i);
      if (displaced >= 0) {
        setI(rowCol, displaced, -1);
        if (strict && steps++ < cap) setI(freeRows, --k, displaced);
        else setI(freeRows, numFree++, displaced);
      }
    }
  }
}
