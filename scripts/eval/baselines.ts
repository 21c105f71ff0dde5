// Simple detectors the timeline is compared with. Each gives a per-row score and, per row, each series'
// share of it (for attribution); the eval scripts turn rows into window scores at the timeline's own
// window ends and apply the timeline's smoothing and span rule (metrics.ts spansByRule), so the
// comparison is of the detectors, not of the bookkeeping around them.
import type { AlignedFrame } from '../../src/lib/frame/types.ts';

/**
 * Scores are divided by at least this standard deviation, in the data's units: SMD and the normalised
 * NAB series span about 0–1, and a series that was constant in its reference must not divide by zero.
 */
export const SD_FLOOR = 0.01;

export interface RowScores {
  /** Per row: the detector's score (NaN where it has none). */
  score: Float64Array;
  /** Per series and row: that series' part (for ranking series at a span's peak). */
  parts: Float64Array[];
}

/** Rolling z: per series |x − mean| / sd over the previous `window` rows; the row's score is the largest over the series. */
export function rollingZ(frame: AlignedFrame, window: number): RowScores {
  const n = frame.timestamps.length;
  const score = new Float64Array(n).fill(NaN);
  const parts = frame.columns.map((x) => {
    const z = new Float64Array(n).fill(NaN);
    // Running sums over the finite values of the previous `window` rows.
    let s = 0;
    let ss = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (i >= window && c >= 2 && Number.isFinite(x[i])) {
        const mean = s / c;
        const sd = Math.sqrt(Math.max(0, ss / c - mean * mean));
        z[i] = Math.abs(x[i] - mean) / Math.max(sd, SD_FLOOR);
      }
      if (Number.isFinite(x[i])) {
        s += x[i];
        ss += x[i] * x[i];
        c++;
      }
      const old = i - window;
      if (old >= 0 && Number.isFinite(x[old])) {
        s -= x[old];
        ss -= x[old] * x[old];
        c--;
      }
    }
    return z;
  });
  for (let i = 0; i < n; i++) {
    let best = NaN;
    for (const z of parts) if (Number.isFinite(z[i]) && !(z[i] <= best)) best = z[i];
    score[i] = best;
  }
  return { score, parts };
}

/**
 * PCA reconstruction error: series standardised on the reference rows [0, refRows), the principal
 * components that explain `explained` of the reference variance kept, and each row scored by its squared
 * residual outside them. A series' part is its own squared residual.
 */
export function pcaReconstruction(frame: AlignedFrame, refRows: number, explained = 0.9): RowScores {
  const m = frame.columns.length;
  const n = frame.timestamps.length;
  const mean = new Float64Array(m);
  const sd = new Float64Array(m);
  frame.columns.forEach((x, j) => {
    let s = 0;
    let ss = 0;
    let c = 0;
    for (let i = 0; i < refRows; i++)
      if (Number.isFinite(x[i])) {
        s += x[i];
        ss += x[i] * x[i];
        c++;
      }
    mean[j] = c ? s / c : 0;
    sd[j] = Math.max(SD_FLOOR, Math.sqrt(Math.max(0, c ? ss / c - mean[j] ** 2 : 0)));
  });
  const z = (j: number, i: number) => {
    const v = frame.columns[j][i];
    return Number.isFinite(v) ? (v - mean[j]) / sd[j] : 0;
  };
  // Covariance of the standardised reference rows.
  const cov = new Float64Array(m * m);
  const row = new Float64Array(m);
  for (let i = 0; i < refRows; i++) {
    for (let j = 0; j < m; j++) row[j] = z(j, i);
    for (let a = 0; a < m; a++) for (let b = a; b < m; b++) cov[a * m + b] += row[a] * row[b];
  }
  for (let a = 0; a < m; a++)
    for (let b = a; b < m; b++) {
      cov[a * m + b] /= Math.max(1, refRows - 1);
      cov[b * m + a] = cov[a * m + b];
    }
  const { values, vectors } = symmetricEigen(cov, m);
  const order = Array.from(values, (_, k) => k).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((a, b) => a + Math.max(0, b), 0);
  const kept: number[] = [];
  let acc = 0;
  for (const k of order) {
    if (total > 0 && acc >= explained * total) break;
    kept.push(k);
    acc += Math.max(0, values[k]);
  }
  const score = new Float64Array(n);
  const parts = Array.from({ length: m }, () => new Float64Array(n));
  const proj = new Float64Array(kept.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) row[j] = z(j, i);
    kept.forEach((k, c) => {
      let p = 0;
      for (let j = 0; j < m; j++) p += vectors[j * m + k] * row[j];
      proj[c] = p;
    });
    let total2 = 0;
    for (let j = 0; j < m; j++) {
      let rec = 0;
      kept.forEach((k, c) => (rec += vectors[j * m + k] * proj[c]));
      const r2 = (row[j] - rec) ** 2;
      parts[j][i] = r2;
      total2 += r2;
    }
    score[i] = total2;
  }
  return { score, parts };
}

/** Eigen-decomposition of a symmetric m × m matrix (row-major) by cyclic Jacobi rotations; vectors in columns. */
export function symmetricEigen(matrix: Float64Array, m: number): { values: number[]; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p];
          const akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k];
          const aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p];
          const vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Array.from({ length: m }, (_, i) => a[i * m + i]), vectors: v };
}

/** Row scores turned into one raw score per window end: the largest row score since the previous end. */
export function windowMax(times: Float64Array, rowScore: Float64Array, ends: number[]): number[] {
  const out: number[] = [];
  let r = 0;
  let prev = -Infinity;
  for (const t of ends) {
    while (r < times.length && times[r] <= prev) r++;
    let best = 0;
    for (let i = r; i < times.length && times[i] <= t; i++) if (rowScore[i] > best) best = rowScore[i];
    out.push(best);
    prev = t;
  }
  return out;
}

/** Series ranked by their largest part over the rows [from, to] (times inclusive), strongest first. */
export function rankSeries(
  times: Float64Array,
  parts: Float64Array[],
  names: string[],
  from: number,
  to: number,
): string[] {
  const best = parts.map((p) => {
    let b = -Infinity;
    for (let i = 0; i < times.length; i++) if (times[i] >= from && times[i] <= to && p[i] > b) b = p[i];
    return b;
  });
  return names
    .map((name, j) => ({ name, b: best[j] }))
    .filter((x) => Number.isFinite(x.b))
    .sort((x, y) => y.b - x.b)
    .map((x) => x.name);
}
