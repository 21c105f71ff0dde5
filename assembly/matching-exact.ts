// Exact Wasserstein matching by shortest augmenting paths with potentials (Jonker–Volgenant).
//
// The assignment problem is the reduced (n+m)×(n+m) formulation of two diagrams A (n points)
// and B (m points):
//   rows    0..n-1      the points of A        rows    n..n+m-1   diagonal copies, one per B point
//   columns 0..m-1      the points of B        columns m..m+n-1   diagonal copies, one per A point
// A point of A may match any point of B, or only its own diagonal copy (cost = its distance to
// the diagonal); likewise for B; two diagonal copies match at cost 0. Restricting each point to
// its own copy loses nothing, since the copies are interchangeable, and keeps rows sparse.

import { INF, allocF64, allocI32, diagonalCosts, fillI32, getF, getI, linf, powP, setF, setI } from './matching-common';

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
  if (size == 0) return 0;

  const rowCol = allocI32(size); // column assigned to each row, -1 when free
  const colRow = allocI32(size); // row assigned to each column, -1 when free
  const v = allocF64(size); // column potentials; row potentials stay implicit
  fillI32(rowCol, size, -1);
  fillI32(colRow, size, -1);

  // Column reduction: v[j] = min over rows, and each column's cheapest row takes it if still free.
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

  const d = allocF64(size); // tentative reduced path lengths to each column
  const pred = allocI32(size); // row preceding each column on its shortest path
  const cols = allocI32(size); // columns partitioned: [0,low) done, [low,up) at the minimum, [up,size) to do

  for (let free = 0; free < size; free++) {
    if (getI(rowCol, free) >= 0) continue;
    for (let j = 0; j < size; j++) {
      setF(d, j, cost(free, j) - getF(v, j));
      setI(pred, j, free);
      setI(cols, j, j);
    }
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
            setI(cols, k, getI(cols, up));
            setI(cols, up, j);
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
      // the cost is spelled out here, not called: this loop is where the solver spends its time
      const isPoint = i < n;
      const x = isPoint ? getF(aB, i) : 0;
      const y = isPoint ? getF(aD, i) : 0;
      const ownDiagonal = isPoint ? getF(diagA, i) : getF(diagB, i - n);
      const ownColumn = isPoint ? m + i : i - n;
      for (let k = up; k < size; k++) {
        const j = getI(cols, k);
        let c: f64;
        if (j == ownColumn) c = ownDiagonal;
        else if (isPoint) {
          if (j >= m) continue;
          c = powP(linf(x, y, getF(bB, j), getF(bD, j)), p);
        } else {
          if (j < m) continue;
          c = 0;
        }
        const reduced = c - getF(v, j) - h;
        if (reduced < getF(d, j)) {
          setF(d, j, reduced);
          setI(pred, j, i);
          if (reduced <= minD) {
            if (getI(colRow, j) < 0) {
              endOfPath = j;
              break;
            }
            setI(cols, k, getI(cols, up));
            setI(cols, up, j);
            up++;
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
