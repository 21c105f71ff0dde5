// Max–min (farthest point) landmarks: a cloud too big for the engine is replaced by k of its points that
// cover it evenly; every point lies within `radius` of a landmark, so diagrams move by at most ~2·radius.
import type { Cloud } from './state.ts';

export interface Landmarks {
  /** Indices into the original cloud, in the order picked. */
  indices: Uint32Array;
  /** Largest distance from any point to its nearest landmark. */
  radius: number;
}

/** Picks k landmarks by farthest point sampling from point `seed` (default 0). */
export function maxMinLandmarks(points: Float64Array, n: number, d: number, k: number, seed = 0): Landmarks {
  const count = Math.min(k, n);
  const indices = new Uint32Array(count);
  const nearest = new Float64Array(n).fill(Infinity);
  let current = seed;
  for (let l = 0; l < count; l++) {
    indices[l] = current;
    let far = -1;
    let farD = -1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = points[i * d + c] - points[current * d + c];
        s += diff * diff;
      }
      if (s < nearest[i]) nearest[i] = s;
      if (nearest[i] > farD) {
        farD = nearest[i];
        far = i;
      }
    }
    current = far;
  }
  let radius = 0;
  for (let i = 0; i < n; i++) radius = Math.max(radius, nearest[i]);
  return { indices, radius: count === 0 ? 0 : Math.sqrt(radius) };
}

/** Returns the cloud unchanged when it has at most `maxPoints` points, else its max–min landmarks. */
export function limitCloud(cloud: Cloud, maxPoints: number): { cloud: Cloud; landmarks: Landmarks | null } {
  if (cloud.n <= maxPoints) return { cloud, landmarks: null };
  const lm = maxMinLandmarks(cloud.points, cloud.n, cloud.d, maxPoints);
  const pts = new Float64Array(lm.indices.length * cloud.d);
  lm.indices.forEach((idx, i) => pts.set(cloud.points.subarray(idx * cloud.d, idx * cloud.d + cloud.d), i * cloud.d));
  return { cloud: { points: pts, n: lm.indices.length, d: cloud.d, dropped: cloud.dropped }, landmarks: lm };
}
