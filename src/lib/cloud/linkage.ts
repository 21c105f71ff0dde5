// Single linkage of a point cloud, for peer scores (analysis/peers.ts): each point's height of joining the
// fleet's majority component. Its own module so that a worker (timeline/runner.ts) can compute a batch of
// windows' heights without the analysis around it.
import { median } from './stats.ts';

/**
 * Prim's tree in the order it is built: step k adds point `to[k]`, joined to tree point `from[k]` at
 * distance `w[k]` (n − 1 steps).
 */
export interface PrimTree {
  from: ArrayLike<number>;
  to: ArrayLike<number>;
  w: ArrayLike<number>;
}

/**
 * Builds PrimTree of n points in R^d exactly as primTree does, or gives null when it cannot (then primTree
 * runs): the WebAssembly engine's (tda/spanning.ts) in a worker.
 */
export type TreeBuilder = (points: Float64Array, n: number, d: number) => PrimTree | null;

/** Prim's algorithm on the dense distance: O(n² d). A tie goes to the lower index. */
export function primTree(points: Float64Array, n: number, d: number): PrimTree {
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const steps = Math.max(0, n - 1);
  // from: a plain array, so that the overflow case below keeps its undefined
  const tree = { from: new Array<number>(steps), to: new Int32Array(steps), w: new Float64Array(steps) };
  let current = 0;
  inTree[0] = 1;
  for (let added = 1; added < n; added++) {
    let next = -1;
    let nextW = Infinity;
    for (let i = 0; i < n; i++) {
      if (inTree[i]) continue;
      let s = 0;
      for (let f = 0; f < d; f++) {
        const diff = points[i * d + f] - points[current * d + f];
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      if (dist < best[i]) {
        best[i] = dist;
        parent[i] = current;
      }
      if (best[i] < nextW) {
        nextW = best[i];
        next = i;
      }
    }
    inTree[next] = 1;
    // next is -1 only when every distance overflowed; parent[-1] is then undefined, as it always was here
    tree.from[added - 1] = parent[next];
    tree.to[added - 1] = next;
    tree.w[added - 1] = nextW;
    current = next;
  }
  return tree;
}

/**
 * For each point, the single-linkage height at which it joins the component that holds more than half of
 * the points, divided by the median MST edge (at least 1).
 */
export function joinHeights(points: Float64Array, n: number, d: number, build?: TreeBuilder): Float64Array {
  const tree = build?.(points, n, d) ?? primTree(points, n, d);
  const edges: { a: number; b: number; w: number }[] = [];
  for (let k = 0; k < n - 1; k++) edges.push({ a: tree.from[k], b: tree.to[k], w: tree.w[k] });
  // Kruskal over the MST edges: each point's height is the edge that first puts it in a majority component.
  edges.sort((x, y) => x.w - y.w);
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  const height = new Float64Array(n);
  const majority = Math.floor(n / 2) + 1;
  let giant = -1;
  for (const { a, b, w } of edges) {
    let ra = find(a);
    let rb = find(b);
    if (size[ra] < size[rb]) [ra, rb] = [rb, ra];
    root[rb] = ra;
    size[ra] += size[rb];
    const joined = members[rb];
    members[rb] = [];
    if (giant === -1 && size[ra] >= majority) {
      giant = ra;
      for (const i of members[ra]) height[i] = w;
      for (const i of joined) height[i] = w;
    } else if (giant !== -1 && (ra === giant || rb === giant)) {
      for (const i of ra === giant ? joined : members[ra]) height[i] = w;
    }
    for (const i of joined) members[ra].push(i);
  }
  const unit = Math.max(1, median(edges.map((e) => e.w)));
  for (let i = 0; i < n; i++) height[i] /= unit;
  return height;
}

/** joinHeights of each window's points: `points` holds windows × n × d, the answer windows × n. */
export function joinHeightsBatch(points: Float64Array, n: number, d: number, build?: TreeBuilder): Float64Array {
  const size = n * d;
  const windows = size > 0 ? points.length / size : 0;
  const out = new Float64Array(windows * n);
  for (let w = 0; w < windows; w++) out.set(joinHeights(points.subarray(w * size, (w + 1) * size), n, d, build), w * n);
  return out;
}
