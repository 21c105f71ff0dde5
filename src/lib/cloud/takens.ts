// Delay embedding (Takens): one series x becomes points (x(t), x(t-τ), …, x(t-(d-1)τ)). A periodic
// series traces a loop, a noisy one a blob; a change in the dynamics changes the shape.
// τ and d are chosen once, on the reference span, so that every window is embedded the same way.
import type { Cloud } from './state.ts';
import { meanStd } from './stats.ts';

export interface Embedding {
  /** Delay τ in rows, per series. */
  delay: number[];
  /** Dimension d per series. */
  dim: number[];
}

/** Sample autocorrelation at lags 0..maxLag over the finite pairs (biased estimator, as usual). */
export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  const { mean, std } = meanStd(x);
  const n = x.length;
  const out = new Float64Array(maxLag + 1);
  if (!(std > 0)) return out;
  const denom = std * std * n;
  for (let k = 0; k <= maxLag; k++) {
    let s = 0;
    for (let i = k; i < n; i++) {
      const a = x[i];
      const b = x[i - k];
      if (Number.isFinite(a) && Number.isFinite(b)) s += (a - mean) * (b - mean);
    }
    out[k] = s / denom;
  }
  return out;
}

/** First lag ≥ 1 where the autocorrelation reaches 0 (or goes below 1/e when it never does); null if neither. */
export function acfDelay(x: ArrayLike<number>, maxLag: number): number | null {
  const acf = autocorrelation(x, maxLag);
  for (let k = 1; k <= maxLag; k++) if (acf[k] <= 0) return k;
  for (let k = 1; k <= maxLag; k++) if (acf[k] < 1 / Math.E) return k;
  return null;
}

/** Mutual information (nats) between x(t) and x(t-k), from a `bins` × `bins` histogram over the value range. */
export function mutualInformation(x: ArrayLike<number>, lag: number, bins: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) return 0;
  const bin = (v: number) => Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
  const joint = new Float64Array(bins * bins);
  const pa = new Float64Array(bins);
  const pb = new Float64Array(bins);
  let n = 0;
  for (let i = lag; i < x.length; i++) {
    const a = x[i];
    const b = x[i - lag];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const ia = bin(a);
    const ib = bin(b);
    joint[ia * bins + ib]++;
    pa[ia]++;
    pb[ib]++;
    n++;
  }
  let mi = 0;
  for (let ia = 0; ia < bins; ia++) {
    for (let ib = 0; ib < bins; ib++) {
      const c = joint[ia * bins + ib];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[ia] * pb[ib]));
    }
  }
  return mi;
}

/** First local minimum of the mutual information over lags 1..maxLag; null when it only decreases. */
export function miDelay(x: ArrayLike<number>, maxLag: number, bins = 16): number | null {
  let prev = mutualInformation(x, 1, bins);
  for (let k = 2; k <= maxLag; k++) {
    const cur = mutualInformation(x, k, bins);
    if (cur > prev) return k - 1;
    prev = cur;
  }
  return null;
}

/** Builds point i of a single-series embedding into `out` at `offset`; false when a coordinate is a gap. */
function delayVector(
  x: ArrayLike<number>,
  t: number,
  delay: number,
  dim: number,
  out: Float64Array,
  offset: number,
): boolean {
  for (let k = 0; k < dim; k++) {
    const v = x[t - k * delay];
    if (!Number.isFinite(v)) return false;
    out[offset + k] = v;
  }
  return true;
}

/**
 * Fraction of false nearest neighbours (Kennel et al. 1992) when going from dimension `dim` to `dim + 1`:
 * a neighbour is false when the added coordinate moves it away by more than `rtol` times their distance,
 * or by more than `atol` standard deviations of the series.
 */
export function falseNeighbourFraction(x: ArrayLike<number>, delay: number, dim: number, rtol = 10, atol = 2): number {
  const { std } = meanStd(x);
  const first = dim * delay; // the (dim+1)-th coordinate must exist too
  const ts: number[] = [];
  const buf = new Float64Array(dim + 1);
  for (let t = first; t < x.length; t++) if (delayVector(x, t, delay, dim + 1, buf, 0)) ts.push(t);
  const n = ts.length;
  if (n < 3 || !(std > 0)) return 0;
  const pts = new Float64Array(n * (dim + 1));
  for (let i = 0; i < n; i++) delayVector(x, ts[i], delay, dim + 1, pts, i * (dim + 1));
  let falseCount = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (Math.abs(ts[i] - ts[j]) <= delay) continue; // skip temporal neighbours
      let d = 0;
      for (let k = 0; k < dim; k++) {
        const diff = pts[i * (dim + 1) + k] - pts[j * (dim + 1) + k];
        d += diff * diff;
      }
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (best < 0) continue;
    counted++;
    const extra = Math.abs(pts[i * (dim + 1) + dim] - pts[best * (dim + 1) + dim]);
    const dist = Math.sqrt(bestD);
    if ((dist > 0 && extra / dist > rtol) || Math.sqrt(bestD + extra * extra) / std > atol) falseCount++;
  }
  return counted === 0 ? 0 : falseCount / counted;
}

export interface EmbeddingChoice {
  delay: number;
  dim: number;
  /** How the delay was chosen, for the report. */
  delayRule: 'mutual-information' | 'autocorrelation' | 'fallback';
}

/**
 * Chooses τ (first zero of the autocorrelation, else first minimum of mutual information, else the
 * autocorrelation's 1/e crossing, all within `maxDelay`) and d (smallest with under 10 % false nearest neighbours, between 2 and `maxDim`).
 * At most `maxSamples` trailing samples of `x` are used, keeping the O(n²) neighbour search bounded.
 */
export function chooseEmbedding(
  x: ArrayLike<number>,
  opts: { maxDelay?: number; maxDim?: number; maxSamples?: number } = {},
): EmbeddingChoice {
  const maxDelay = opts.maxDelay ?? 16;
  const maxDim = opts.maxDim ?? 5;
  const maxSamples = opts.maxSamples ?? 600;
  const xs = Array.from(x).slice(-maxSamples);
  // The autocorrelation's first zero is well defined even for clean periodic signals, where histogram
  // mutual information has a flat basin; mutual information covers series whose correlation never dies out.
  const acf = autocorrelation(xs, maxDelay);
  let delay: number | null = null;
  let delayRule: EmbeddingChoice['delayRule'] = 'autocorrelation';
  for (let k = 1; k <= maxDelay && delay === null; k++) if (acf[k] <= 0) delay = k;
  if (delay === null) {
    delay = miDelay(xs, maxDelay);
    delayRule = 'mutual-information';
  }
  if (delay === null) {
    delay = acfDelay(xs, maxDelay);
    delayRule = 'autocorrelation';
  }
  if (delay === null) {
    delay = maxDelay;
    delayRule = 'fallback';
  }
  let dim = 2;
  while (dim < maxDim && falseNeighbourFraction(xs, delay, dim) >= 0.1) dim++;
  return { delay, dim, delayRule };
}

/** Rows a window must read before its first point. */
export function embeddingLookback(e: Embedding): number {
  let lb = 0;
  for (let j = 0; j < e.delay.length; j++) lb = Math.max(lb, (e.dim[j] - 1) * e.delay[j]);
  return lb;
}

/**
 * Delay embedding of every series of a row-major block (rows × m) at once: point r (for the last
 * rows - lookback rows) concatenates each series' delay vector. Points with a gap are dropped.
 */
export function takensCloud(block: Float64Array, rows: number, m: number, e: Embedding): Cloud {
  const lookback = embeddingLookback(e);
  let d = 0;
  for (let j = 0; j < m; j++) d += e.dim[j];
  const count = Math.max(0, rows - lookback);
  const points = new Float64Array(count * d);
  let n = 0;
  for (let r = lookback; r < rows; r++) {
    let ok = true;
    let c = n * d;
    for (let j = 0; j < m && ok; j++) {
      for (let k = 0; k < e.dim[j]; k++) {
        const v = block[(r - k * e.delay[j]) * m + j];
        if (!Number.isFinite(v)) {
          ok = false;
          break;
        }
        points[c++] = v;
      }
    }
    if (ok) n++;
  }
  return { points: points.slice(0, n * d), n, d, dropped: count - n };
}
