// Small order statistics shared by alignment, normalisation and scoring. NaN values are ignored.

/** Finite values of `xs` (optionally only indices [from, to)), sorted ascending. */
export function sortedFinite(xs: ArrayLike<number>, from = 0, to = xs.length): Float64Array {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Linear-interpolated quantile of an ascending array; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Median of the finite values of `xs[from, to)`; NaN when there are none. Equal to
 * quantileSorted(sortedFinite(…), 0.5), found by selection in O(n) instead of a full sort: window clouds,
 * the scorer's reference and the peer baselines take medians by the hundred thousand.
 */
export function median(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  const buf = bufferFor(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) buf[n++] = v;
  }
  return medianInPlace(buf, n);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: ArrayLike<number>, from = 0, to = xs.length, centre = median(xs, from, to)): number {
  const buf = bufferFor(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) buf[n++] = Math.abs(v - centre);
  }
  return medianInPlace(buf, n);
}

/** Reused between calls (one thread per realm), so that the many small medians allocate nothing. */
let scratch = new Float64Array(256);
/** Larger inputs get a buffer of their own, not kept. */
const SCRATCH_MAX = 1 << 16;

function bufferFor(size: number): Float64Array {
  if (size > SCRATCH_MAX) return new Float64Array(size);
  if (scratch.length < size) scratch = new Float64Array(Math.min(SCRATCH_MAX, Math.max(size, 2 * scratch.length)));
  return scratch;
}

/**
 * quantileSorted(sorted buf[0, n), 0.5) without sorting; the values must be finite (NaN gives NaN). The
 * buffer is reordered.
 */
export function medianInPlace(buf: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const pos = 0.5 * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  selectKth(buf, n, lo);
  // Selection cannot tell -0 from +0 as a sort does, but the sum below is +0 either way.
  const a = buf[lo];
  // After selection everything right of lo is ≥ it: the next order statistic is their minimum.
  let b = a;
  if (hi > lo) {
    b = Infinity;
    for (let i = hi; i < n; i++) if (buf[i] < b) b = buf[i];
  }
  return a + (b - a) * (pos - lo);
}

/** Rearranges s[0, n) so that s[k] holds the k-th smallest value, smaller ones before it, larger after. */
function selectKth(s: Float64Array, n: number, k: number): void {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    // Median of three as the pivot keeps sorted and reversed runs (common in metrics) linear.
    const mid = (left + right) >> 1;
    if (s[mid] < s[left]) swap(s, mid, left);
    if (s[right] < s[left]) swap(s, right, left);
    if (s[right] < s[mid]) swap(s, right, mid);
    const pivot = s[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (s[i] < pivot) i++;
      while (s[j] > pivot) j--;
      if (i <= j) {
        swap(s, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(s: Float64Array, i: number, j: number): void {
  const t = s[i];
  s[i] = s[j];
  s[j] = t;
}

/** Mean and population standard deviation of the finite values. */
export function meanStd(xs: ArrayLike<number>, from = 0, to = xs.length): { mean: number; std: number; n: number } {
  let n = 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = sum / n;
  let ss = 0;
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(ss / n), n };
}

/** 1.4826 · MAD estimates the standard deviation of normal data. */
export const MAD_TO_SD = 1.4826;
