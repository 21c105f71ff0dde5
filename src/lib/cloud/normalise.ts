// Per-series scaling so that series in bytes and series in percent weigh the same in a point cloud.
// The parameters are fitted on a reference span (the baseline) and then applied everywhere, so that a
// window's cloud does not change when more data arrives (live mode) and a drift stays visible.
import { MAD_TO_SD, mad, meanStd, median } from './stats.ts';

export type NormaliseMethod = 'zscore' | 'robust' | 'minmax' | 'noise';

export interface Scaling {
  /** Subtracted first. */
  centre: number;
  /** Then divided by; 0 means the series was constant: it maps to zeros. */
  scale: number;
}

/** Fits centre and scale on `column[from, to)`. A constant (or empty) span gives scale 0. */
export function fitScaling(column: ArrayLike<number>, method: NormaliseMethod, from = 0, to = column.length): Scaling {
  if (method === 'zscore') {
    const { mean, std } = meanStd(column, from, to);
    return Number.isFinite(mean) ? { centre: mean, scale: std } : { centre: 0, scale: 0 };
  }
  if (method === 'noise') {
    // Scale by the sample-to-sample noise (robust sd of first differences / √2), floored at a tenth of
    // the robust spread: in a short window most series are flat plus noise, and measuring every series
    // in units of its own noise keeps forty noisy flat series from drowning the two that trace a shape.
    const centre = median(column, from, to);
    if (!Number.isFinite(centre)) return { centre: 0, scale: 0 };
    const diffs: number[] = [];
    for (let i = from + 1; i < to; i++) {
      const d = column[i] - column[i - 1];
      if (Number.isFinite(d)) diffs.push(d);
    }
    const noise = (MAD_TO_SD * mad(diffs)) / Math.SQRT2;
    const spread = fitScaling(column, 'robust', from, to).scale;
    return { centre, scale: Math.max(noise, 0.1 * spread) };
  }
  if (method === 'robust') {
    const centre = median(column, from, to);
    if (!Number.isFinite(centre)) return { centre: 0, scale: 0 };
    let scale = MAD_TO_SD * mad(column, from, to, centre);
    // More than half the values equal: MAD is 0 though the series moves; fall back to the standard deviation.
    if (!(scale > 0)) scale = meanStd(column, from, to).std;
    return { centre, scale };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = column[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? { centre: lo, scale: hi - lo } : { centre: 0, scale: 0 };
}

/** A scale lost in rounding noise (or a denormal) means a constant series: dividing by it would blow up. */
export function isConstantScale(s: Scaling): boolean {
  return !(s.scale > 1e-300) || !Number.isFinite(s.scale) || s.scale <= 1e-12 * Math.abs(s.centre);
}

/** Applies a scaling; NaN stays NaN (a gap), a zero scale gives zeros. */
export function applyScaling(column: ArrayLike<number>, s: Scaling): Float64Array {
  const out = new Float64Array(column.length);
  const constant = isConstantScale(s);
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    out[i] = !Number.isFinite(v) ? NaN : constant ? 0 : (v - s.centre) / s.scale;
  }
  return out;
}

/**
 * Normalises one column with parameters fitted on [from, to). When the reference span is constant but
 * the whole column is not, the whole column is used instead, so a series that only starts moving later
 * still counts.
 */
export function normaliseColumn(
  column: ArrayLike<number>,
  method: NormaliseMethod,
  from = 0,
  to = column.length,
): { values: Float64Array; scaling: Scaling } {
  let scaling = fitScaling(column, method, from, to);
  if (isConstantScale(scaling) && (from > 0 || to < column.length)) {
    const whole = fitScaling(column, method);
    // A span with no data at all (a series that starts later) has no centre of its own either.
    const centre = finiteCount(column, from, to) > 0 ? scaling.centre : whole.centre;
    if (!isConstantScale(whole)) scaling = { centre, scale: whole.scale };
  }
  return { values: applyScaling(column, scaling), scaling };
}

/**
 * Trailing moving average over `k` samples (gaps ignored; NaN when fewer than half are present).
 * Scrape-to-scrape jitter in every series adds up in a state cloud of many series and blurs its
 * shape; averaging a few samples removes it while keeping anything slower than a few k.
 */
export function smoothTrailing(column: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(column.length);
  if (k <= 1) {
    for (let i = 0; i < column.length; i++) out[i] = column[i];
    return out;
  }
  let sum = 0;
  let count = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
    if (i >= k) {
      const old = column[i - k];
      if (Number.isFinite(old)) {
        sum -= old;
        count--;
      }
    }
    const span = Math.min(i + 1, k);
    out[i] = count * 2 >= span && count > 0 ? sum / count : NaN;
  }
  return out;
}

/**
 * Soft saturation limit for one normalised series: 3 robust sd of its normalised baseline values, and at
 * least 4 (noise units). Under noise scaling a series that trends (a disk filling up) reaches thousands of
 * its own noise units, and one such series turns every window's state cloud into a line along it; beyond
 * its usual range it is saturated instead, so it still shows that it left that range without dominating.
 */
export function saturationLimit(normalised: ArrayLike<number>, from = 0, to = normalised.length): number {
  const centre = median(normalised, from, to);
  const spread = MAD_TO_SD * mad(normalised, from, to, centre);
  return Math.max(4, Number.isFinite(spread) ? 3 * spread : 0);
}

/** Finite values of `column[from, to)`. */
export function finiteCount(column: ArrayLike<number>, from = 0, to = column.length): number {
  let n = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(column[i])) n++;
  return n;
}
