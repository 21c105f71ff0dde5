// Per-series scaling so that series in bytes and series in percent weigh the same in a point cloud.
// The parameters are fitted on a reference span (the baseline) and then applied everywhere, so that a
// window's cloud does not change when more data arrives (live mode) and a drift stays visible.
import { MAD_TO_SD, mad, meanStd, median } from './stats.ts';

export type NormaliseMethod = 'zscore' | 'robust' | 'minmax';

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
    if (!isConstantScale(whole)) scaling = { centre: scaling.centre, scale: whole.scale };
  }
  return { values: applyScaling(column, scaling), scaling };
}
