// Seeded random projection for wide clouds. With thousands of series a window's cloud lives in thousands
// of dimensions: every pairwise distance is about the same (noise concentrates), persistent homology sees
// a cloud of near-equidistant points, and the Rips computation gets slow. A Gaussian random matrix maps the
// cloud to `k` dimensions while keeping every pairwise distance within a known factor
// (Johnson–Lindenstrauss). It is chosen over PCA fitted on the baseline because it is blind to the data:
// PCA keeps the directions that moved in the baseline and drops the quiet ones, which is exactly where a
// new fault in a series that used to be calm shows up; a random projection keeps every series' share.
// Seeded, so that every window (and every worker) uses the same map and windows stay comparable.
import type { Cloud } from './state.ts';

/** Clouds with more coordinates than this are projected. */
export const PROJECT_ABOVE = 64;
/** Dimensions a wide cloud is projected to. */
export const PROJECT_TO = 32;
export const PROJECTION_SEED = 0x5eed;

let cached: { d: number; k: number; seed: number; matrix: Float64Array } | null = null;

/** d × k row-major matrix of N(0, 1/k) entries from a seeded generator (mulberry32 + Box–Muller). */
export function projectionMatrix(d: number, k: number, seed = PROJECTION_SEED): Float64Array {
  if (cached && cached.d === d && cached.k === k && cached.seed === seed) return cached.matrix;
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sd = 1 / Math.sqrt(k);
  const matrix = new Float64Array(d * k);
  for (let i = 0; i < matrix.length; i++) {
    matrix[i] = sd * Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  }
  cached = { d, k, seed, matrix };
  return matrix;
}

/** The cloud mapped to `k` dimensions; unchanged when it has at most `above` coordinates. */
export function projectCloud(cloud: Cloud, k = PROJECT_TO, above = PROJECT_ABOVE, seed = PROJECTION_SEED): Cloud {
  const { n, d } = cloud;
  if (d <= above) return cloud;
  const r = projectionMatrix(d, k, seed);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = cloud.points[i * d + c];
      if (v === 0) continue; // left-out series are zeros: nothing to add
      const row = c * k;
      for (let q = 0; q < k; q++) out[i * k + q] += v * r[row + q];
    }
  }
  return { points: out, n, d: k, dropped: cloud.dropped };
}
