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

export function median(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  return quantileSorted(sortedFinite(xs, from, to), 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: ArrayLike<number>, from = 0, to = xs.length, centre = median(xs, from, to)): number {
  const dev: number[] = [];
  for (let i = from; i < to; i++) {
    const v = xs[i];
    if (Number.isFinite(v)) dev.push(Math.abs(v - centre));
  }
  return quantileSorted(Float64Array.from(dev).sort(), 0.5);
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
