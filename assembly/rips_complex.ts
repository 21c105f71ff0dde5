// The Vietoris–Rips complex, never stored: a simplex is a number in the combinatorial number system
// (vertices v_k > … > v_1 have index C(v_k, k) + … + C(v_1, 1)) and its diameter is the largest distance
// between two of its vertices. Distances are f32 like Ripser's, kept as a full square matrix so that the
// distances from one point to all others form a contiguous row (scanned four at a time with SIMD); when a
// threshold removes most edges, cofacets are found by intersecting sorted neighbour lists instead.
import { allocate, EntryList } from './rips_buffers';
import { NO_KEY } from './rips_column';

/** Largest simplex index the engine accepts (Ripser's bound for Z/2 coefficients). */
const MAX_INDEX: i64 = ((<i64>1) << 62) - 1;

export let pointCount: i32 = 0;
export let threshold: f32 = 0;
let square: usize = 0; // f32[n * n], d(i, j) at i * n + j
let binomials: usize = 0; // i64, C(v, k) at k * (n + 1) + v
let binomialRow: usize = 0;
let binomialsLow: usize = 0; // u32, the low halves of the binomials (same layout), read four at a time

// sparse neighbourhoods: for vertex v, neighbours (ascending) at neighbourStart[v] .. neighbourStart[v + 1]
export let useNeighbours: bool = false;
let neighbourStart: usize = 0; // i32[n + 1]
let neighbourVertex: usize = 0; // i32[]
let neighbourDistance: usize = 0; // f32[]

/** Uses the n × n f32 distance matrix at `distanceMatrix` (symmetric, zero diagonal). */
let sparseCofacets: Cofacets = changetype<Cofacets>(0);

export function setComplex(n: i32, distanceMatrix: usize): void {
  pointCount = n;
  square = distanceMatrix;
  useNeighbours = false;
  sparseCofacets = new Cofacets();
}

export function setThreshold(value: f32): void {
  threshold = value;
}

/** Address of the row of distances from point i. */
export function row(i: i32): usize {
  return square + ((<usize>i * <usize>pointCount) << 2);
}

export function distance(i: i32, j: i32): f32 {
  return load<f32>(square + ((<usize>i * <usize>pointCount + <usize>j) << 2));
}

export function binomial(v: i32, k: i32): i64 {
  return load<i64>(binomials + ((<usize>k * binomialRow + <usize>v) << 3));
}

/** Fills C(v, k) for v ≤ n, k ≤ maxK; false when an index of a k-subset of n points would overflow. */
export function buildBinomials(n: i32, maxK: i32): bool {
  binomialRow = <usize>n + 1;
  binomials = allocate(<usize>(maxK + 1) * binomialRow * 8);
  binomialsLow = allocate(<usize>(maxK + 1) * binomialRow * 4);
  let overflow = false;
  for (let k = 0; k <= maxK; k++) {
    for (let v = 0; v <= n; v++) {
      let value: i64 = 0;
      if (k == 0) value = 1;
      else if (v > 0) value = binomial(v - 1, k - 1) + binomial(v - 1, k);
      if (value > MAX_INDEX) {
        overflow = true;
        value = MAX_INDEX;
      }
      store<i64>(binomials + ((<usize>k * binomialRow + <usize>v) << 3), value);
      store<u32>(binomialsLow + ((<usize>k * binomialRow + <usize>v) << 2), <u32>value);
    }
  }
  return !overflow;
}

/** Ripser's enclosing radius: beyond it the Rips complex is a cone, so nothing new happens. */
export function enclosingRadius(): f32 {
  const n = pointCount;
  let radius = Infinity as f32;
  if (n < 2) return n == 1 ? (-Infinity as f32) : radius; // one point: no other point to be far from
  for (let i = 0; i < n; i++) {
    // the diagonal's zero changes no maximum of distances ≥ 0, so whole rows are scanned four at a time
    const r = row(i);
    let far = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) far = f32x4.max(far, v128.load(r + ((<usize>j) << 2)));
    let farthest = max(
      max(f32x4.extract_lane(far, 0), f32x4.extract_lane(far, 1)),
      max(f32x4.extract_lane(far, 2), f32x4.extract_lane(far, 3)),
    );
    for (; j < n; j++) farthest = max(farthest, load<f32>(r + ((<usize>j) << 2)));
    radius = min(radius, farthest);
  }
  return radius;
}

/** Number of edges with diameter ≤ threshold. */
export function countEdges(): i64 {
  let count: i64 = 0;
  const limits = f32x4.splat(threshold);
  for (let i = 1; i < pointCount; i++) {
    const r = row(i);
    let j = 0;
    for (; j + 4 <= i; j += 4) count += popcnt(i32x4.bitmask(f32x4.le(v128.load(r + ((<usize>j) << 2)), limits)));
    for (; j < i; j++) if (load<f32>(r + ((<usize>j) << 2)) <= threshold) count++;
  }
  return count;
}

/** Builds the neighbour lists of the thresholded graph (used when it is sparse). */
export function buildNeighbours(edgeCount: i64): void {
  const n = pointCount;
  neighbourStart = allocate((<usize>n + 1) << 2);
  neighbourVertex = allocate((<usize>(edgeCount * 2)) << 2);
  neighbourDistance = allocate((<usize>(edgeCount * 2)) << 2);
  let at: usize = 0;
  for (let v = 0; v < n; v++) {
    store<i32>(neighbourStart + ((<usize>v) << 2), <i32>at);
    const r = row(v);
    for (let u = 0; u < n; u++) {
      if (u == v) continue;
      const d = load<f32>(r + ((<usize>u) << 2));
      if (d <= threshold) {
        store<i32>(neighbourVertex + (at << 2), u);
        store<f32>(neighbourDistance + (at << 2), d);
        at++;
      }
    }
  }
  store<i32>(neighbourStart + ((<usize>n) << 2), <i32>at);
  useNeighbours = true;
}

/** The largest v ≤ top with C(v, k) ≤ index (binary search, as Ripser's get_max_vertex). */
export function maxVertex(index: i64, k: i32, top: i32): i32 {
  if (k == 1) return <i32>min(index, <i64>top);
  if (k == 2) {
    // C(v, 2) ≤ index ⇔ v ≤ (1 + √(1 + 8·index)) / 2; the float estimate is off by at most one
    let v = <i32>min(<i64>top, <i64>((1.0 + Math.sqrt(1.0 + 8.0 * <f64>index)) * 0.5));
    while (binomial(v, 2) > index) v--;
    while (v < top && binomial(v + 1, 2) <= index) v++;
    return v;
  }
  if (binomial(top, k) > index) {
    let count = top - (k - 1);
    while (count > 0) {
      const step = count >> 1;
      const mid = top - step;
      if (binomial(mid, k) > index) {
        top = mid - 1;
        count -= step + 1;
      } else count = step;
    }
  }
  return top;
}

/** Writes the dim + 1 vertices of a simplex, ascending, to `out` (i32[]). */
export function simplexVertices(index: i64, dim: i32, out: usize): void {
  let v = pointCount;
  for (let k = dim + 1; k >= 1; k--) {
    v = maxVertex(index, k, v);
    store<i32>(out + ((<usize>(k - 1)) << 2), v);
    index -= binomial(v, k);
  }
}

/** The index of the simplex with `count` ascending vertices at `vertices`. */
export function simplexIndex(vertices: usize, count: i32): i64 {
  let index: i64 = 0;
  for (let t = 0; t < count; t++) index += binomial(load<i32>(vertices + ((<usize>t) << 2)), t + 1);
  return index;
}

const scanRows: usize = memory.data(32, 16);

/**
 * The largest vertex outside the simplex (dim + 1 ascending vertices) whose distance to every vertex is at
 * most `diameter`, or -1. Adding it gives the simplex's earliest cofacet of the same diameter (cofacets
 * come in decreasing index order, so a larger new vertex comes first).
 */
export function zeroCofacetVertex(vertices: usize, dim: i32, diameter: f32): i32 {
  for (let t = 0; t <= dim; t++) {
    store<usize>(scanRows + ((<usize>t) << 2), row(load<i32>(vertices + ((<usize>t) << 2))));
  }
  // scan the gaps between the simplex's own vertices, from the top
  let hi = pointCount;
  for (let t = dim; t >= -1; t--) {
    const lo = t >= 0 ? load<i32>(vertices + ((<usize>t) << 2)) + 1 : 0;
    const found = scanDown(dim, lo, hi, diameter);
    if (found >= 0) return found;
    hi = lo - 1;
  }
  return -1;
}

/** The largest j in [lo, hi) with every row's entry j at most `limit`, or -1; four columns at a time. */
function scanDown(dim: i32, lo: i32, hi: i32, limit: f32): i32 {
  const bound = f32x4.splat(limit);
  let j = hi - 4;
  for (; j >= lo; j -= 4) {
    const offset = (<usize>j) << 2;
    let farthest = v128.load(load<usize>(scanRows) + offset);
    for (let t = 1; t <= dim; t++) {
      farthest = f32x4.max(farthest, v128.load(load<usize>(scanRows + ((<usize>t) << 2)) + offset));
    }
    const within = i32x4.bitmask(f32x4.le(farthest, bound));
    if (within != 0) return j + 31 - clz(within);
  }
  for (j += 3; j >= lo; j--) {
    let farthest: f32 = 0;
    for (let t = 0; t <= dim; t++) {
      farthest = max(farthest, load<f32>(load<usize>(scanRows + ((<usize>t) << 2)) + ((<usize>j) << 2)));
    }
    if (farthest <= limit) return j;
  }
  return -1;
}

/**
 * Appends the cofacets (diameter ≤ threshold) of a simplex with ascending `vertices` to `out`, in
 * decreasing index order (Ripser's enumeration order), without keeping any heap order.
 */
export function appendCofacets(out: EntryList, index: i64, diameter: f32, dim: i32, vertices: usize): void {
  if (useNeighbours) {
    const c = sparseCofacets;
    c.setVertices(index, diameter, dim, vertices);
    while (c.hasNext(true)) {
      c.next();
      out.push(c.cofacetDiameter, c.cofacetIndex);
    }
    return;
  }
  for (let t = 0; t <= dim; t++) {
    store<usize>(scanRows + ((<usize>t) << 2), row(load<i32>(vertices + ((<usize>t) << 2))));
  }
  const limit = threshold;
  out.reserve(pointCount);
  const row0 = load<usize>(scanRows);
  const row1 = load<usize>(scanRows + 4);
  // a new vertex j between v_t and v_(t+1) takes position t + 1: the cofacet's index is
  // Σ_{s ≤ t} C(v_s, s + 1) + C(j, t + 2) + Σ_{s > t} C(v_s, s + 2) = below + C(j, t + 2) + above
  let below = index;
  let above: i64 = 0;
  let hi = pointCount;
  for (let t = dim; t >= -1; t--) {
    const vt = t >= 0 ? load<i32>(vertices + ((<usize>t) << 2)) : -1;
    const newVertexBinomials = binomials + ((<usize>(t + 2) * binomialRow) << 3);
    if (dim == 1) {
      // edges, the common case: two rows
      for (let j = hi - 1; j > vt; j--) {
        const column = (<usize>j) << 2;
        const d = max(diameter, max(load<f32>(row0 + column), load<f32>(row1 + column)));
        if (d <= limit) out.append(d, above + load<i64>(newVertexBinomials + ((<usize>j) << 3)) + below);
      }
    } else {
      for (let j = hi - 1; j > vt; j--) {
        const column = (<usize>j) << 2;
        let d = diameter;
        for (let s = 0; s <= dim; s++) d = max(d, load<f32>(load<usize>(scanRows + ((<usize>s) << 2)) + column));
        if (d <= limit) out.append(d, above + load<i64>(newVertexBinomials + ((<usize>j) << 3)) + below);
      }
    }
    if (t >= 0) {
      below -= binomial(vt, t + 1);
      above += binomial(vt, t + 2);
    }
    hi = vt;
  }
}

/**
 * Writes the keys (rips_column.ts) of every candidate cofacet of a simplex with ascending `vertices` to
 * `out` (room for pointCount keys), NO_KEY for those beyond the threshold, in no particular order; returns
 * how many (pointCount − dim − 1). Dense complexes whose cofacet indices fit in 32 bits only. The new
 * vertex j runs four at a time: four diameters from the rows, four indices from the binomials' low halves.
 */
export function cofacetKeys(out: usize, index: i64, diameter: f32, dim: i32, vertices: usize): i32 {
  for (let t = 0; t <= dim; t++) {
    store<usize>(scanRows + ((<usize>t) << 2), row(load<i32>(vertices + ((<usize>t) << 2))));
  }
  const limit = threshold;
  const limits = f32x4.splat(limit);
  const diameters = f32x4.splat(diameter);
  const noKeyHigh = i32x4.splat(<i32>(NO_KEY >> 32));
  const row0 = load<usize>(scanRows);
  let at = out;
  let below = index;
  let above: i64 = 0;
  let hi = pointCount;
  for (let t = dim; t >= -1; t--) {
    const vt = t >= 0 ? load<i32>(vertices + ((<usize>t) << 2)) : -1;
    const newVertexBinomials = binomialsLow + ((<usize>(t + 2) * binomialRow) << 2);
    // keys hold ~index in their low half: ~(above + C(j, t + 2) + below) = base - C(j, t + 2)
    const base = <u32>0xffffffff - <u32>(above + below);
    const bases = i32x4.splat(<i32>base);
    let j = vt + 1;
    for (; j + 4 <= hi; j += 4) {
      const column = (<usize>j) << 2;
      let d = f32x4.max(diameters, v128.load(row0 + column));
      for (let s = 1; s <= dim; s++) d = f32x4.max(d, v128.load(load<usize>(scanRows + ((<usize>s) << 2)) + column));
      const far = f32x4.gt(d, limits);
      const low = v128.or(i32x4.sub(bases, v128.load(newVertexBinomials + column)), far);
      const high = v128.bitselect(noKeyHigh, d, far);
      // little-endian u64 keys: (low, high) pairs
      v128.store(at, v128.shuffle<i32>(low, high, 0, 4, 1, 5));
      v128.store(at, v128.shuffle<i32>(low, high, 2, 6, 3, 7), 16);
      at += 32;
    }
    for (; j < hi; j++) {
      const column = (<usize>j) << 2;
      let d = max(diameter, load<f32>(row0 + column));
      for (let s = 1; s <= dim; s++) d = max(d, load<f32>(load<usize>(scanRows + ((<usize>s) << 2)) + column));
      const low = base - load<u32>(newVertexBinomials + column);
      store<u64>(at, d <= limit ? ((<u64>reinterpret<u32>(d)) << 32) | (<u64>low) : NO_KEY);
      at += 8;
    }
    if (t >= 0) {
      below -= binomial(vt, t + 1);
      above += binomial(vt, t + 2);
    }
    hi = vt;
  }
  return <i32>((at - out) >> 3);
}

/**
 * The simplex's latest facet of the same diameter, or -1; its vertices go to `out`. Facets are visited in
 * Ripser's boundary order, removing the top vertex first (increasing index), and among facets of equal
 * diameter the smaller index enters later.
 */
export function zeroFacet(vertices: usize, dim: i32, diameter: f32, out: usize): i64 {
  for (let removed = dim; removed >= 0; removed--) {
    let d: f32 = 0;
    for (let a = 1; a <= dim; a++) {
      if (a == removed) continue;
      const va = load<i32>(vertices + ((<usize>a) << 2));
      for (let b = 0; b < a; b++) {
        if (b != removed) d = max(d, distance(va, load<i32>(vertices + ((<usize>b) << 2))));
      }
    }
    if (d == diameter) {
      let t = 0;
      for (let a = 0; a <= dim; a++) {
        if (a == removed) continue;
        store<i32>(out + ((<usize>t) << 2), load<i32>(vertices + ((<usize>a) << 2)));
        t++;
      }
      return simplexIndex(out, dim);
    }
  }
  return -1;
}

/** Writes `count` ascending vertices from `from` to `to` with `v` inserted in order. */
export function withVertex(from: usize, count: i32, v: i32, to: usize): void {
  let t = 0;
  while (t < count && load<i32>(from + ((<usize>t) << 2)) < v) {
    store<i32>(to + ((<usize>t) << 2), load<i32>(from + ((<usize>t) << 2)));
    t++;
  }
  store<i32>(to + ((<usize>t) << 2), v);
  for (; t < count; t++) store<i32>(to + ((<usize>(t + 1)) << 2), load<i32>(from + ((<usize>t) << 2)));
}

/**
 * Enumerates the cofacets of a simplex in the thresholded graph, in decreasing index order (Ripser's sparse
 * simplex_coboundary_enumerator): the new vertex runs down the intersection of the vertices' neighbour
 * lists. Dense complexes loop over distance rows instead (appendCofacets, the dense assembly).
 */
export class Cofacets {
  vertices: usize = allocate(8 * 4); // ascending
  cursor: usize = allocate(8 * 4); // position in each vertex's neighbour list
  begin: usize = allocate(8 * 4);
  idxBelow: i64 = 0;
  idxAbove: i64 = 0;
  k: i32 = 0;
  dim: i32 = 0;
  diameter: f32 = 0;
  // the cofacet found by hasNext and produced by next
  cofacetVertex: i32 = 0;
  cofacetDiameter: f32 = 0;
  cofacetIndex: i64 = 0;

  set(index: i64, diameter: f32, dim: i32): void {
    simplexVertices(index, dim, this.vertices);
    this.start(index, diameter, dim);
  }

  /** Like set, for a simplex whose vertices (ascending) are already known. */
  setVertices(index: i64, diameter: f32, dim: i32, vertices: usize): void {
    for (let t = 0; t <= dim; t++) {
      store<i32>(this.vertices + ((<usize>t) << 2), load<i32>(vertices + ((<usize>t) << 2)));
    }
    this.start(index, diameter, dim);
  }

  /** The vertices (ascending) of the cofacet last produced. */
  cofacetVertices(out: usize): void {
    withVertex(this.vertices, this.dim + 1, this.cofacetVertex, out);
  }

  private start(index: i64, diameter: f32, dim: i32): void {
    this.idxBelow = index;
    this.idxAbove = 0;
    this.k = dim + 1;
    this.dim = dim;
    this.diameter = diameter;
    for (let t = 0; t <= dim; t++) {
      const v = load<i32>(this.vertices + ((<usize>t) << 2));
      store<i32>(this.begin + ((<usize>t) << 2), load<i32>(neighbourStart + ((<usize>v) << 2)));
      store<i32>(this.cursor + ((<usize>t) << 2), load<i32>(neighbourStart + ((<usize>(v + 1)) << 2)) - 1);
    }
  }

  /**
   * Finds the next common neighbour; `all = false` stops at cofacets whose new vertex is below the
   * simplex's top vertex, so that each simplex is met once, from its facet without the top vertex.
   */
  hasNext(all: bool): bool {
    const dim = this.dim;
    const first = this.cursor;
    let at0 = load<i32>(first);
    const begin0 = load<i32>(this.begin);
    for (; at0 >= begin0; at0--) {
      const candidate = load<i32>(neighbourVertex + ((<usize>at0) << 2));
      let d = load<f32>(neighbourDistance + ((<usize>at0) << 2));
      let common = true;
      for (let t = 1; t <= dim; t++) {
        const slot = this.cursor + ((<usize>t) << 2);
        const begin = load<i32>(this.begin + ((<usize>t) << 2));
        let at = load<i32>(slot);
        while (true) {
          if (at < begin) {
            store<i32>(slot, at);
            store<i32>(first, at0);
            return false;
          }
          if (load<i32>(neighbourVertex + ((<usize>at) << 2)) > candidate) at--;
          else break;
        }
        store<i32>(slot, at);
        if (load<i32>(neighbourVertex + ((<usize>at) << 2)) != candidate) {
          common = false;
          break;
        }
        d = max(d, load<f32>(neighbourDistance + ((<usize>at) << 2)));
      }
      if (!common) continue;
      // the candidate is a neighbour of every vertex: account for vertices above it
      while (this.k > 0 && load<i32>(this.vertices + ((<usize>(this.k - 1)) << 2)) > candidate) {
        if (!all) {
          store<i32>(first, at0);
          return false;
        }
        const v = load<i32>(this.vertices + ((<usize>(this.k - 1)) << 2));
        this.idxBelow -= binomial(v, this.k);
        this.idxAbove += binomial(v, this.k + 1);
        this.k--;
      }
      store<i32>(first, at0);
      this.cofacetVertex = candidate;
      this.cofacetDiameter = max(this.diameter, d);
      return true;
    }
    store<i32>(first, at0);
    return false;
  }

  next(): void {
    store<i32>(this.cursor, load<i32>(this.cursor) - 1);
    this.cofacetIndex = this.idxAbove + binomial(this.cofacetVertex, this.k + 1) + this.idxBelow;
  }
}
