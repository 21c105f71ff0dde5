// Shared pieces of diagram matching: raw f64/i32 arrays in the arena and the L∞ ground metric.
//
// Input layout used by every matching entry point: one f64 block holding
//   births of A [n], deaths of A [n], births of B [m], deaths of B [m]
// (finite points only; the host splits off essential points and validates values).

export const INF: f64 = Infinity;

/** Allocates room for `count` f64 values in the arena (not zeroed). */
export function allocF64(count: i32): usize {
  return heap.alloc((<usize>max(count, 1)) << 3);
}

/** Allocates room for `count` i32 values in the arena (not zeroed). */
export function allocI32(count: i32): usize {
  return heap.alloc((<usize>max(count, 1)) << 2);
}

export function getF(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

export function setF(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}

export function getI(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

export function setI(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}

export function fillI32(base: usize, count: i32, v: i32): void {
  for (let i = 0; i < count; i++) setI(base, i, v);
}

/** L∞ distance between two diagram points. */
export function linf(b1: f64, d1: f64, b2: f64, d2: f64): f64 {
  return max(abs(b1 - b2), abs(d1 - d2));
}

/** Raises a ground distance to the Wasserstein exponent (1 or 2). */
export function powP(x: f64, p: i32): f64 {
  return p == 2 ? x * x : x;
}

/**
 * Distances of every point to the diagonal in L∞ ((death − birth) / 2), raised to `p`
 * (p = 1 or 2; p = 0 keeps the plain distance, for the bottleneck).
 */
export function diagonalCosts(births: usize, deaths: usize, count: i32, p: i32): usize {
  const out = allocF64(count);
  for (let i = 0; i < count; i++) {
    const c = (getF(deaths, i) - getF(births, i)) * 0.5;
    setF(out, i, p == 0 ? c : powP(c, p));
  }
  return out;
}

/** Sum of all diagonal costs of one diagram: the distance to an empty diagram (raised to p). */
export function sumF64(values: usize, count: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < count; i++) s += getF(values, i);
  return s;
}

export function maxF64(values: usize, count: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < count; i++) s = max(s, getF(values, i));
  return s;
}

/** Rearranges values[lo..hi) so that values[k] is the value a full sort would put there (Hoare selection). */
export function selectF64(values: usize, lo: i32, hi: i32, k: i32): void {
  let l = lo;
  let r = hi - 1;
  while (r > l) {
    // median of three as pivot keeps sorted or constant runs from going quadratic
    const a = getF(values, l);
    const b = getF(values, (l + r) >>> 1);
    const c = getF(values, r);
    const pivot = max(min(a, b), min(max(a, b), c));
    let i = l;
    let j = r;
    while (i <= j) {
      while (getF(values, i) < pivot) i++;
      while (getF(values, j) > pivot) j--;
      if (i <= j) {
        const t = getF(values, i);
        setF(values, i, getF(values, j));
        setF(values, j, t);
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

/** In-place ascending sort of a f64 array (the host only passes finite values). */
export function sortF64(values: usize, count: i32): void {
  quicksort(values, 0, count - 1);
}

function quicksort(values: usize, lo: i32, hi: i32): void {
  while (hi - lo > 16) {
    const a = getF(values, lo);
    const b = getF(values, (lo + hi) >>> 1);
    const c = getF(values, hi);
    const pivot = max(min(a, b), min(max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (getF(values, i) < pivot) i++;
      while (getF(values, j) > pivot) j--;
      if (i <= j) {
        const t = getF(values, i);
        setF(values, i, getF(values, j));
        setF(values, j, t);
        i++;
        j--;
      }
    }
    // recurse into the smaller side, loop on the larger: stack depth stays logarithmic
    if (j - lo < hi - i) {
      quicksort(values, lo, j);
      lo = i;
    } else {
      quicksort(values, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = getF(values, i);
    let j = i - 1;
    while (j >= lo && getF(values, j) > v) {
      setF(values, j + 1, getF(values, j));
      j--;
    }
    setF(values, j + 1, v);
  }
}
