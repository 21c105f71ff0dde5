// Vietoris–Rips persistent homology over Z/2, after U. Bauer, "Ripser: efficient computation of
// Vietoris–Rips persistence barcodes" (2021). Top-down flow:
//   1. distances (f32) and the threshold (given, or the enclosing radius);
//   2. dimension 0 by union–find over the edges in filtration order;
//   3. for each dimension 1..maxDim: reduce the coboundary columns of the simplices that clearing and
//      apparent pairs leave over (cohomology, columns in reverse filtration order), record the pairs, then
//      assemble the next dimension's columns.
// Coboundaries are enumerated on the fly from the combinatorial number system (rips_complex.ts); the
// reduction keeps Ripser's lazy heap columns and stores the reduction matrix V, not the reduced R.
// Small dense complexes (≤ SMALL_MAX_POINTS points: the app's windows) take a faster path with the same
// pairs: dimension 0 by Prim's algorithm with no edge sort, and columns as merges of unsorted streams of
// 64-bit keys (rips_column.ts), since a reduction reads only the first few entries of each coboundary.
//
// The engine is synchronous; a host cancels a computation by terminating the worker that runs it.
import {
  allocate,
  bytesRefused,
  bytesUsed,
  EntryHeap,
  EntryList,
  IntList,
  PivotMap,
  resetBudget,
  sortKeys,
} from './rips_buffers';
import {
  columnKey,
  KEY_INDEX_LIMIT,
  keyDiameter as columnKeyDiameter,
  keyIndex as columnKeyIndex,
  NO_KEY,
  StreamColumn,
} from './rips_column';
import {
  binomial,
  buildBinomials,
  buildNeighbours,
  Cofacets,
  countEdges,
  enclosingRadius,
  maxVertex,
  pointCount,
  row,
  setComplex,
  setThreshold,
  appendCofacets,
  cofacetKeys,
  simplexIndex,
  simplexVertices,
  withVertex,
  zeroCofacetVertex,
  zeroFacet,
  threshold,
} from './rips_complex';

const STATUS_OK: i32 = 0;
const STATUS_INDEX_OVERFLOW: i32 = 2;

let maxDim: i32 = 0;
let wantCocycles: bool = false;

// the cofacet enumerator for sparse assembly (the dense paths loop over distance rows directly)
let cofacets: Cofacets = changetype<Cofacets>(0);

// output: pairs as (dim: i32, birth: f32, death: f32); cocycles as (pair: i32, first edge: i32, edges: i32)
let pairs: IntList = changetype<IntList>(0);
let cocycles: IntList = changetype<IntList>(0);
let cocycleEdges: IntList = changetype<IntList>(0);

// statistics
let edgeCount: f64 = 0;
let sparse: bool = false;
// per-dimension counters live in static memory (the arena is reset between calls)
const columnsReduced: usize = memory.data(32, 8);
const apparentPairs: usize = memory.data(32, 8);
const emergentPairs: usize = memory.data(32, 8);

function countUp(counter: usize, dim: i32): void {
  store<f64>(counter + ((<usize>dim) << 3), load<f64>(counter + ((<usize>dim) << 3)) + 1);
}

// --- work accounting: one unit per simplex visited (edges, cofacets generated or considered) ----------------

let work: f64 = 0;
let workLimit: f64 = Infinity;
let workExceeded: bool = false;

function spend(units: i32): void {
  work += <f64>units;
  if (work > workLimit) {
    workExceeded = true;
    abort('work limit exceeded');
  }
}

// --- apparent pairs ------------------------------------------------------------------------------------
// (σ, τ) is a zero apparent pair when τ is the earliest cofacet of σ, σ the latest facet of τ, and both have
// the same diameter: such a pair is zero-length and never needs a column.

// Each function takes the simplex's vertices (ascending) as well as its index, since callers know them.
const cofacetScratch: usize = memory.data(32, 16);
const facetScratch: usize = memory.data(32, 16);
const pivotScratch: usize = memory.data(32, 16);
const candidateScratch: usize = memory.data(32, 16);

/** The earliest cofacet of the simplex with the same diameter, or -1; its vertices go to `out`. */
function zeroPivotCofacet(diameter: f32, dim: i32, vertices: usize, out: usize): i64 {
  const v = zeroCofacetVertex(vertices, dim, diameter);
  if (v < 0) return -1;
  withVertex(vertices, dim + 1, v, out);
  return simplexIndex(out, dim + 2);
}

/** The latest facet of the simplex with the same diameter, or -1; its vertices go to `out`. */
function zeroPivotFacet(diameter: f32, dim: i32, vertices: usize, out: usize): i64 {
  return zeroFacet(vertices, dim, diameter, out);
}

function zeroApparentCofacet(index: i64, diameter: f32, dim: i32, vertices: usize): i64 {
  const cofacet = zeroPivotCofacet(diameter, dim, vertices, cofacetScratch);
  if (cofacet == -1) return -1;
  return zeroPivotFacet(diameter, dim + 1, cofacetScratch, facetScratch) == index ? cofacet : -1;
}

function zeroApparentFacet(index: i64, diameter: f32, dim: i32, vertices: usize): i64 {
  const facet = zeroPivotFacet(diameter, dim, vertices, facetScratch);
  if (facet == -1) return -1;
  return zeroPivotCofacet(diameter, dim - 1, facetScratch, cofacetScratch) == index ? facet : -1;
}

function inZeroApparentPair(index: i64, diameter: f32, dim: i32, vertices: usize): bool {
  return (
    zeroApparentCofacet(index, diameter, dim, vertices) != -1 || zeroApparentFacet(index, diameter, dim, vertices) != -1
  );
}

// --- output ----------------------------------------------------------------------------------------------

function recordPair(dim: i32, birth: f32, death: f32): void {
  pairs.push(dim);
  pairs.pushF32(birth);
  pairs.pushF32(death);
}

/** Stores the edges of a 1-cochain (edge indices in `column`) as the cocycle of the latest pair. */
function recordCocycle(column: EntryList): void {
  cocycles.push(pairs.length / 3 - 1);
  cocycles.push(cocycleEdges.length >> 1);
  cocycles.push(column.length);
  for (let i = 0; i < column.length; i++) {
    const index = column.index(i);
    const u = maxVertex(index, 2, pointCount);
    cocycleEdges.push(u);
    cocycleEdges.push(<i32>(index - binomial(u, 2)));
  }
}

/**
 * Sorts the pair records from record `first` on (one dimension's) by birth, then death, the order the host
 * wants (it checks, and sorts only what is not). Birth and death are non-negative f32, so their bits order
 * like their values and a pair's key is (birth bits, death bits).
 */
function sortPairRecords(first: i32): void {
  const count = pairs.length / 3 - first;
  if (count < 2) return;
  const keys = allocate((<usize>count) << 3);
  const records = pairs.ptr + ((<usize>first * 3) << 2);
  for (let i = 0; i < count; i++) {
    const at = records + ((<usize>i * 3) << 2);
    store<u64>(keys + ((<usize>i) << 3), ((<u64>load<u32>(at, 4)) << 32) | (<u64>load<u32>(at, 8)));
  }
  sortKeys(keys, count);
  for (let i = 0; i < count; i++) {
    const key = load<u64>(keys + ((<usize>i) << 3));
    const at = records + ((<usize>i * 3) << 2);
    store<u32>(at, <u32>(key >> 32), 4);
    store<u32>(at, <u32>key, 8);
  }
}

// --- dimension 0 -----------------------------------------------------------------------------------------

function findRoot(parent: usize, x: i32): i32 {
  while (true) {
    const p = load<i32>(parent + ((<usize>x) << 2));
    if (p == x) return x;
    const grandparent = load<i32>(parent + ((<usize>p) << 2));
    store<i32>(parent + ((<usize>x) << 2), grandparent); // path halving
    x = grandparent;
  }
}

// An edge as a sort key: ascending keys give the reduction order (larger diameter first, then smaller
// index); diameters are non-negative, so their f32 bits order like the values.
function edgeKey(diameter: f32, index: i64): u64 {
  return ((<u64>~reinterpret<u32>(diameter)) << 32) | (<u64>index);
}
function keyDiameter(key: u64): f32 {
  return reinterpret<f32>(~(<u32>(key >> 32)));
}
function keyIndex(key: u64): i64 {
  return <i64>(key & 0xffffffff);
}

/** Edges ≤ threshold as sorted keys (edge indices fit in 32 bits: n is far below 2^16·√2). */
function collectEdges(count: i64): usize {
  const keys = allocate((<usize>max(count, 1)) << 3);
  const n = pointCount;
  const t = threshold;
  let at = keys;
  for (let i = 1; i < n; i++) {
    const base = binomial(i, 2);
    const r = row(i);
    for (let j = 0; j < i; j++) {
      const d = load<f32>(r + ((<usize>j) << 2));
      if (d <= t) {
        store<u64>(at, edgeKey(d, base + j));
        at += 8;
      }
    }
  }
  sortKeys(keys, <i32>count);
  return keys;
}

function edgeEntries(keys: usize, count: i32): EntryList {
  const edges = new EntryList(count);
  for (let e = 0; e < count; e++) {
    const key = load<u64>(keys + ((<usize>e) << 3));
    edges.push(keyDiameter(key), keyIndex(key));
  }
  return edges;
}

/** Union–find over edges by increasing diameter; returns the edges left as dimension-1 columns. */
function computeDimension0(keys: usize, count: i32): EntryList {
  const n = pointCount;
  const parent = allocate((<usize>max(n, 1)) << 2);
  const rank = allocate(<usize>max(n, 1));
  for (let v = 0; v < n; v++) {
    store<i32>(parent + ((<usize>v) << 2), v);
    store<u8>(rank + <usize>v, 0);
  }
  const columns = new EntryList(maxDim > 0 ? count >> 2 : 0);
  for (let e = count - 1; e >= 0; e--) {
    spend(1);
    const key = load<u64>(keys + ((<usize>e) << 3));
    const d = keyDiameter(key);
    const index = keyIndex(key);
    const a = maxVertex(index, 2, n);
    const b = <i32>(index - binomial(a, 2));
    const ra = findRoot(parent, a);
    const rb = findRoot(parent, b);
    if (ra != rb) {
      if (d != 0) recordPair(0, 0, d);
      const rankA = load<u8>(rank + <usize>ra);
      const rankB = load<u8>(rank + <usize>rb);
      if (rankA > rankB) store<i32>(parent + ((<usize>rb) << 2), ra);
      else {
        store<i32>(parent + ((<usize>ra) << 2), rb);
        if (rankA == rankB) store<u8>(rank + <usize>rb, rankB + 1);
      }
    } else if (maxDim > 0) {
      store<i32>(candidateScratch, b);
      store<i32>(candidateScratch, a, 4);
      if (zeroApparentCofacet(index, d, 1, candidateScratch) == -1) columns.push(d, index);
      else countUp(apparentPairs, 1);
    }
  }
  store<f64>(columnsReduced, <f64>count);
  for (let v = 0; v < n; v++) if (findRoot(parent, v) == v) recordPair(0, 0, Infinity);
  columns.reverse();
  return columns;
}

/**
 * Whether edge {a < b} of diameter d is in a zero apparent pair with a triangle: zeroApparentCofacet for an
 * edge, with the rows scanned directly. The triangle adds the largest vertex j within d of both ends.
 */
function edgeInZeroApparentPair(a: i32, b: i32, d: f32): bool {
  const rowA = row(a);
  const rowB = row(b);
  const bound = f32x4.splat(d);
  // eight columns at a time, from the top
  let j = pointCount - 8;
  let found = -1;
  for (; j >= 0; j -= 8) {
    const offset = (<usize>j) << 2;
    const lower = f32x4.le(f32x4.max(v128.load(rowA + offset), v128.load(rowB + offset)), bound);
    const upper = f32x4.le(f32x4.max(v128.load(rowA + offset, 16), v128.load(rowB + offset, 16)), bound);
    let within = i32x4.bitmask(lower) | (i32x4.bitmask(upper) << 4);
    if (within == 0) continue;
    // a and b are within d of both ends too, but are not a third vertex
    within &= ~select<i32>(1 << (a - j), 0, <u32>(a - j) < 8);
    within &= ~select<i32>(1 << (b - j), 0, <u32>(b - j) < 8);
    if (within != 0) {
      found = j + 31 - clz(within);
      break;
    }
  }
  if (found < 0) {
    for (j += 7; j >= 0; j--) {
      const column = (<usize>j) << 2;
      if (j != a && j != b && max(load<f32>(rowA + column), load<f32>(rowB + column)) <= d) {
        found = j;
        break;
      }
    }
    if (found < 0) return false;
  }
  // {a, b} must be the triangle's latest facet of diameter d; facets are visited without the top vertex
  // first (zeroFacet), so the facets before {a, b} must be longer
  const rowJ = row(found);
  const ja = load<f32>(rowJ + ((<usize>a) << 2)) != d;
  const jb = load<f32>(rowJ + ((<usize>b) << 2)) != d;
  return select<bool>(true, select<bool>(ja, ja & jb, found > a), found > b);
}

/** Sorts `count` f32 values at `values` ascending (insertion sort: at most a few hundred). */
function sortFloats(values: usize, count: i32): void {
  for (let i = 1; i < count; i++) {
    const value = load<f32>(values + ((<usize>i) << 2));
    let j = i - 1;
    for (; j >= 0 && load<f32>(values + ((<usize>j) << 2)) > value; j--) {
      store<f32>(values + ((<usize>(j + 1)) << 2), load<f32>(values + ((<usize>j) << 2)));
    }
    store<f32>(values + ((<usize>(j + 1)) << 2), value);
  }
}

/**
 * Dimension 0 of a small dense complex by Prim's algorithm, O(n²) with no sorted edge list: edges are
 * strictly ordered by (diameter, then larger index first), the order union–find takes them in, and under a
 * strict order the minimum spanning forest is unique, so the tree edges (H0's deaths) are the same ones.
 * Every other edge ≤ threshold becomes a dimension-1 column unless it is in a zero apparent pair; with
 * maxDim ≥ 2 every edge also goes to `allEdges`.
 */
function computeDimension0Dense(allEdges: EntryList): EntryList {
  const n = pointCount;
  const t = threshold;
  const size = <usize>max(n, 1);
  const parent = allocate(size << 2); // tree neighbour towards the root, -1 for a root
  // the vertices not yet in the forest, and for each (same position) the key (rips_column.ts) of its
  // earliest edge from the forest, NO_KEY for none; both kept contiguous so the scans run straight
  const outside = allocate(size << 2);
  const best = allocate(size << 3);
  const deaths = allocate(size << 2);
  for (let v = 0; v < n; v++) {
    store<i32>(parent + ((<usize>v) << 2), -1);
    store<u64>(best + ((<usize>v) << 3), NO_KEY);
    store<i32>(outside + ((<usize>v) << 2), v);
  }
  let remaining = n;
  let deathCount = 0;
  let components = 0;
  while (remaining > 0) {
    // the vertex outside with the earliest edge from the forest; with none, a new tree starts anywhere.
    // Keys stay below 2^63, so signed comparison orders them, two at a time
    let smallest = i64x2.splat(<i64>NO_KEY);
    let i = 0;
    for (; i + 2 <= remaining; i += 2) {
      const pair = v128.load(best + ((<usize>i) << 3));
      smallest = v128.bitselect(pair, smallest, i64x2.lt_s(pair, smallest));
    }
    let earliest = min(<u64>i64x2.extract_lane(smallest, 0), <u64>i64x2.extract_lane(smallest, 1));
    if (i < remaining) earliest = min(earliest, load<u64>(best + ((<usize>i) << 3)));
    let at = 0;
    while (load<u64>(best + ((<usize>at) << 3)) != earliest) at++;
    const u = load<i32>(outside + ((<usize>at) << 2));
    remaining--;
    store<i32>(outside + ((<usize>at) << 2), load<i32>(outside + ((<usize>remaining) << 2)));
    store<u64>(best + ((<usize>at) << 3), load<u64>(best + ((<usize>remaining) << 3)));
    if (earliest == NO_KEY) components++;
    else if (columnKeyDiameter(earliest) != 0) {
      store<f32>(deaths + ((<usize>deathCount) << 2), columnKeyDiameter(earliest));
      deathCount++;
    }
    const r = row(u);
    const rowStart = (u * (u - 1)) >> 1;
    for (let i = 0; i < remaining; i++) {
      const v = load<i32>(outside + ((<usize>i) << 2));
      const d = load<f32>(r + ((<usize>v) << 2));
      // edge {u, v}: C(max, 2) + min
      const e = select<i32>(rowStart + v, ((v * (v - 1)) >> 1) + u, u > v);
      const key = select<u64>(columnKey(d, e), NO_KEY, d <= t);
      const slot = best + ((<usize>i) << 3);
      const old = load<u64>(slot);
      store<u64>(slot, select<u64>(key, old, key < old));
      store<i32>(parent + ((<usize>v) << 2), select<i32>(u, load<i32>(parent + ((<usize>v) << 2)), key < old));
    }
  }
  spend(n);
  sortFloats(deaths, deathCount);
  for (let i = 0; i < deathCount; i++) recordPair(0, 0, load<f32>(deaths + ((<usize>i) << 2)));
  for (let c = 0; c < components; c++) recordPair(0, 0, Infinity);

  const columns = new EntryList(maxDim > 0 ? 64 : 0);
  let edges = 0;
  let apparent = 0;
  for (let b = 1; b < n; b++) {
    const r = row(b);
    const parentB = load<i32>(parent + ((<usize>b) << 2));
    for (let a = 0; a < b; a++) {
      const d = load<f32>(r + ((<usize>a) << 2));
      if (d > t) continue;
      edges++;
      const index = <i64>(((b * (b - 1)) >> 1) + a);
      if (maxDim >= 2) allEdges.push(d, index);
      if (maxDim == 0 || parentB == a || load<i32>(parent + ((<usize>a) << 2)) == b) continue;
      if (edgeInZeroApparentPair(a, b, d)) apparent++;
      else columns.push(d, index);
    }
  }
  spend(edges);
  store<f64>(columnsReduced, <f64>edges);
  store<f64>(apparentPairs + 8, <f64>apparent);
  columns.sortForReduction();
  return columns;
}

// --- dimensions ≥ 1 --------------------------------------------------------------------------------------

/** The reduction matrix V, column by column (each column without its diagonal entry). */
class ReductionMatrix {
  starts: IntList = new IntList(1024);
  entries: EntryList = new EntryList(1024);
}

let workingCoboundary: EntryHeap = changetype<EntryHeap>(0);
// small complexes: the working coboundary as a merge of streams of keys
let streamColumn: StreamColumn = changetype<StreamColumn>(0);
let useStreams: bool = false;
let workingReduction: EntryHeap = changetype<EntryHeap>(0);
let pivotColumn: EntryList = changetype<EntryList>(0); // scratch: the reduced column's V entries

const simplexScratch: usize = memory.data(32, 16);
const simplexRows: usize = memory.data(32, 16);

/** Adds δ(simplex) to the working coboundary and the simplex to the working reduction column. */
function addSimplexCoboundary(index: i64, diameter: f32, dim: i32): void {
  workingReduction.insert(diameter, index);
  simplexVertices(index, dim, simplexScratch);
  if (useStreams) {
    const column = streamColumn;
    const count = cofacetKeys(column.reserve(pointCount), index, diameter, dim, simplexScratch);
    spend(count);
    column.commit(count);
    return;
  }
  const heap = workingCoboundary;
  const start = heap.length;
  appendCofacets(heap, index, diameter, dim, simplexScratch);
  spend(heap.length - start);
  for (let i = start; i < heap.length; i++) heap.siftUp(i);
}

/** Loads δ(column) into the working coboundary; returns its pivot early for an emergent pair (true). */
function initCoboundary(index: i64, diameter: f32, dim: i32, pivots: PivotMap): bool {
  simplexVertices(index, dim, simplexScratch);
  // the first cofacet of equal diameter is the pivot; if no column owns it, the pair is immediate
  let cofacet: i64 = -1;
  let count = 0;
  if (useStreams) {
    count = cofacetKeys(streamColumn.reserve(pointCount), index, diameter, dim, simplexScratch);
    // no cofacet is earlier than the simplex, so the earliest key is the first of equal diameter if any is
    const earliest = streamColumn.commit(count);
    if (earliest != NO_KEY && columnKeyDiameter(earliest) == diameter) cofacet = columnKeyIndex(earliest);
  } else {
    // cofacets in enumeration order, in the heap's array before heapify
    const heap = workingCoboundary;
    appendCofacets(heap, index, diameter, dim, simplexScratch);
    count = heap.length;
    for (let i = 0; i < heap.length; i++) {
      if (heap.diameter(i) == diameter) {
        cofacet = heap.index(i);
        break;
      }
    }
  }
  spend(count);
  if (cofacet != -1 && pivots.get(cofacet) == -1) {
    simplexVertices(cofacet, dim + 1, candidateScratch);
    if (zeroApparentFacet(cofacet, diameter, dim + 1, candidateScratch) == -1) {
      emergentPivot = cofacet;
      return true;
    }
  }
  if (!useStreams) workingCoboundary.heapify();
  return false;
}

let emergentPivot: i64 = -1;

/** Finds the working coboundary's pivot (in pivotIndex/pivotDiameter), leaving it there; false if none. */
function workingPivot(): bool {
  if (useStreams) {
    if (!streamColumn.pivot()) return false;
    pivotIndex = streamColumn.topIndex;
    pivotDiameter = streamColumn.topDiameter;
    return true;
  }
  if (!workingCoboundary.pivot()) return false;
  pivotIndex = workingCoboundary.topIndex;
  pivotDiameter = workingCoboundary.topDiameter;
  return true;
}
let pivotIndex: i64 = -1;
let pivotDiameter: f32 = 0;

/** Working coboundaries longer than this are compacted (cancelling pairs removed) as they grow. */
const COMPACT_MIN: i32 = 1 << 16;
/**
 * Dense complexes of up to this many points take the small path: dimension 0 by Prim's algorithm and
 * reduction on streams (rips_column.ts), since their coboundaries are short.
 */
const SMALL_MAX_POINTS: i32 = 128;

function computePairs(columns: EntryList, pivots: PivotMap, dim: i32): void {
  const reduction = new ReductionMatrix();
  const heap = workingCoboundary;
  const keepCocycle = wantCocycles && dim == 1;
  // streams of keys for small dense complexes whose indices fit in a key
  useStreams = !sparse && pointCount <= SMALL_MAX_POINTS && binomial(pointCount, dim + 2) <= KEY_INDEX_LIMIT;
  if (useStreams && changetype<usize>(streamColumn) == 0) streamColumn = new StreamColumn();
  for (let col = 0; col < columns.length; col++) {
    const birth = columns.diameter(col);
    const simplex = columns.index(col);
    reduction.starts.push(reduction.entries.length);
    if (useStreams) streamColumn.clear();
    else heap.clear();
    workingReduction.clear();
    let compactAt = COMPACT_MIN;
    if (initCoboundary(simplex, birth, dim, pivots)) {
      pivots.insert(emergentPivot, col);
      countUp(emergentPairs, dim);
      continue;
    }
    while (true) {
      if (!workingPivot()) {
        // no pivot: an essential class, born at `birth`
        recordPair(dim, birth, Infinity);
        if (keepCocycle) collectCocycle(simplex, birth);
        break;
      }
      const pivot = pivotIndex;
      const death = pivotDiameter;
      const other = pivots.get(pivot);
      if (other != -1) {
        // add the column that already owns this pivot: its simplex and its V entries
        addSimplexCoboundary(columns.index(other), columns.diameter(other), dim);
        const end = other + 1 < reduction.starts.length ? reduction.starts.get(other + 1) : reduction.entries.length;
        for (let e = reduction.starts.get(other); e < end; e++) {
          addSimplexCoboundary(reduction.entries.index(e), reduction.entries.diameter(e), dim);
        }
        if (!useStreams && heap.length > compactAt) {
          heap.compact();
          compactAt = max(COMPACT_MIN, heap.length << 1);
        }
        continue;
      }
      simplexVertices(pivot, dim + 1, pivotScratch);
      const facet = zeroApparentFacet(pivot, death, dim + 1, pivotScratch);
      if (facet != -1) {
        // the pivot is in an apparent pair (facet, pivot): add that facet's coboundary instead of a column
        addSimplexCoboundary(facet, death, dim);
        continue;
      }
      pivots.insert(pivot, col);
      const persistent = death > birth;
      if (persistent) recordPair(dim, birth, death);
      // store this column of V (over Z/2, repeated entries cancel)
      pivotColumn.clear();
      while (workingReduction.popPivot()) {
        reduction.entries.push(workingReduction.topDiameter, workingReduction.topIndex);
        if (keepCocycle && persistent) pivotColumn.push(workingReduction.topDiameter, workingReduction.topIndex);
      }
      if (keepCocycle && persistent) {
        pivotColumn.push(birth, simplex);
        recordCocycle(pivotColumn);
      }
      break;
    }
    countUp(columnsReduced, dim);
  }
}

function collectCocycle(simplex: i64, birth: f32): void {
  pivotColumn.clear();
  while (workingReduction.popPivot()) pivotColumn.push(workingReduction.topDiameter, workingReduction.topIndex);
  pivotColumn.push(birth, simplex);
  recordCocycle(pivotColumn);
}

/**
 * The columns of dimension `dim`: cofacets (≤ threshold) of the (dim − 1)-simplices, each found once from
 * its facet without the top vertex, minus those cleared (already a pivot) or in a zero apparent pair.
 * Returns the dim-simplices when the next dimension will need them.
 */
function assembleColumns(simplices: EntryList, columns: EntryList, pivots: PivotMap, dim: i32): EntryList {
  const keepSimplices = dim < maxDim;
  const next = keepSimplices ? new EntryList(simplices.length) : simplices;
  columns.clear();
  for (let s = 0; s < simplices.length; s++) {
    const index = simplices.index(s);
    const diameter = simplices.diameter(s);
    if (sparse) {
      const c = cofacets;
      c.set(index, diameter, dim - 1);
      while (c.hasNext(false)) {
        c.next();
        c.cofacetVertices(candidateScratch);
        considerColumn(c.cofacetIndex, c.cofacetDiameter, dim, candidateScratch, columns, next, pivots);
      }
    } else {
      // dense: the new vertex j runs over the points above the simplex's top vertex, taking the top
      // position, so the cofacet's index is the simplex's plus C(j, dim + 1)
      simplexVertices(index, dim - 1, candidateScratch);
      const top = load<i32>(candidateScratch + ((<usize>(dim - 1)) << 2));
      const t = threshold;
      for (let v = 0; v < dim; v++) {
        store<usize>(simplexRows + ((<usize>v) << 2), row(load<i32>(candidateScratch + ((<usize>v) << 2))));
      }
      for (let j = pointCount - 1; j > top; j--) {
        let d = diameter;
        const column = (<usize>j) << 2;
        for (let v = 0; v < dim; v++) d = max(d, load<f32>(load<usize>(simplexRows + ((<usize>v) << 2)) + column));
        if (d > t) continue;
        store<i32>(candidateScratch + ((<usize>dim) << 2), j);
        considerColumn(index + binomial(j, dim + 1), d, dim, candidateScratch, columns, next, pivots);
      }
    }
  }
  columns.sortForReduction();
  return next;
}

/** A dim-simplex ≤ threshold becomes a column unless cleared (already a pivot) or in a zero apparent pair. */
function considerColumn(
  index: i64,
  diameter: f32,
  dim: i32,
  vertices: usize,
  columns: EntryList,
  next: EntryList,
  pivots: PivotMap,
): void {
  spend(1);
  if (dim < maxDim) next.push(diameter, index); // the next dimension's facets
  if (pivots.get(index) != -1) return; // clearing
  if (inZeroApparentPair(index, diameter, dim, vertices)) {
    countUp(apparentPairs, dim);
    return;
  }
  columns.push(diameter, index);
}

// --- entry points --------------------------------------------------------------------------------------

function begin(budget: f64, maxDimension: i32, cocycleWanted: i32, limit: f64): void {
  resetBudget(budget);
  work = 0;
  workLimit = limit > 0 ? limit : Infinity;
  workExceeded = false;
  maxDim = maxDimension;
  wantCocycles = cocycleWanted != 0;
  edgeCount = 0;
  sparse = false;
  memory.fill(columnsReduced, 0, 32);
  memory.fill(apparentPairs, 0, 32);
  memory.fill(emergentPairs, 0, 32);
  pairs = new IntList(1024);
  cocycles = new IntList(16);
  cocycleEdges = new IntList(16);
}

function run(n: i32, distanceMatrix: usize, thresholdOrNaN: f64): i32 {
  setComplex(n, distanceMatrix);
  if (!buildBinomials(n, maxDim + 2)) return STATUS_INDEX_OVERFLOW;
  setThreshold(isNaN(thresholdOrNaN) ? enclosingRadius() : <f32>thresholdOrNaN);
  const edges = countEdges();
  edgeCount = <f64>edges;
  const allEdges = (<i64>n * <i64>(n - 1)) >> 1;
  // sparse neighbourhoods pay off when the threshold drops most edges (Ripser uses them for any threshold)
  if (maxDim > 0 && edges * 3 < allEdges) {
    buildNeighbours(edges);
    sparse = true;
  }
  cofacets = new Cofacets();

  let columns: EntryList;
  let simplices: EntryList;
  if (!sparse && n <= SMALL_MAX_POINTS) {
    simplices = new EntryList(maxDim >= 2 ? <i32>edges : 0);
    columns = computeDimension0Dense(simplices);
    if (maxDim < 2) simplices = columns;
  } else {
    const edgeKeys = collectEdges(edges);
    columns = computeDimension0(edgeKeys, <i32>edges);
    simplices = maxDim >= 2 ? edgeEntries(edgeKeys, <i32>edges) : columns;
  }
  if (maxDim == 0) return STATUS_OK;

  workingCoboundary = new EntryHeap(256);
  streamColumn = changetype<StreamColumn>(0);
  workingReduction = new EntryHeap(64);
  pivotColumn = new EntryList(64);
  for (let dim = 1; dim <= maxDim; dim++) {
    const pivots = new PivotMap(columns.length);
    const first = pairs.length / 3;
    computePairs(columns, pivots, dim);
    if (!wantCocycles) sortPairRecords(first); // cocycles refer to pairs by their record's position
    if (dim < maxDim) simplices = assembleColumns(simplices, columns, pivots, dim + 1);
  }
  return STATUS_OK;
}

/** An n × n f32 matrix with a zero diagonal. */
function allocateSquare(n: i32): usize {
  const bytes = max<usize>((<usize>n * <usize>n) << 2, 4);
  const matrix = allocate(bytes);
  memory.fill(matrix, 0, bytes);
  return matrix;
}

function setDistance(matrix: usize, n: i32, i: i32, j: i32, value: f32): void {
  store<f32>(matrix + ((<usize>i * <usize>n + <usize>j) << 2), value);
  store<f32>(matrix + ((<usize>j * <usize>n + <usize>i) << 2), value);
}

/**
 * Persistent homology of n points in R^d (row-major f64 at `points`). `threshold` NaN means the enclosing
 * radius. Returns 0, or 2 when simplex indices would overflow 64 bits; aborts with "memory budget exceeded"
 * when the budget would be broken (the host reads phBytesRefused) and with "work limit exceeded" when
 * more than `limit` simplices would be visited (0: no limit; the host reads phWorkExceeded).
 */
export function phComputePoints(
  points: usize,
  n: i32,
  d: i32,
  maxDimension: i32,
  threshold: f64,
  budget: f64,
  cocycleWanted: i32,
  limit: f64,
): i32 {
  begin(budget, maxDimension, cocycleWanted, limit);
  // coordinates rounded to f32 and distances summed in f32 in coordinate order, as Ripser does; the
  // coordinates are stored coordinate by coordinate (points padded to a multiple of four), so that four
  // distances from point i are summed at once, each lane in that same order: the same f32 results
  const stride = <usize>((n + 3) & ~3);
  const columnBytes = max<usize>((stride * <usize>d) << 2, 16);
  const columns = allocate(columnBytes);
  memory.fill(columns, 0, columnBytes);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const value = <f32>load<f64>(points + ((<usize>(i * d + c)) << 3));
      store<f32>(columns + ((<usize>c * stride + <usize>i) << 2), value);
    }
  }
  // the lower triangle (with the diagonal) four at a time, then the rest by symmetry; a row's last block
  // may run into the next row (written after it) or, for the last row, into one v128 of slack
  const matrix = allocate(((<usize>n * <usize>n) << 2) + 16);
  const own = allocate(max<usize>((<usize>d) << 4, 16)); // point i's coordinates, each splat to a v128
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      v128.store(own + ((<usize>c) << 4), f32x4.splat(load<f32>(columns + ((<usize>c * stride + <usize>i) << 2))));
    }
    const r = matrix + ((<usize>i * <usize>n) << 2);
    for (let j = 0; j <= i; j += 4) {
      let sum = f32x4.splat(0);
      for (let c = 0; c < d; c++) {
        const diff = f32x4.sub(
          v128.load(own + ((<usize>c) << 4)),
          v128.load(columns + ((<usize>c * stride + <usize>j) << 2)),
        );
        sum = f32x4.add(sum, f32x4.mul(diff, diff));
      }
      v128.store(r + ((<usize>j) << 2), f32x4.sqrt(sum));
    }
  }
  // row i holds columns 0 ..= (i | 3); the others are row j's column i
  for (let i = 0; i < n; i++) {
    const r = matrix + ((<usize>i * <usize>n) << 2);
    for (let j = (i | 3) + 1; j < n; j++) {
      store<f32>(r + ((<usize>j) << 2), load<f32>(matrix + ((<usize>j * <usize>n + <usize>i) << 2)));
    }
  }
  return run(n, matrix, threshold);
}

/** Persistent homology from a strict lower-triangular distance matrix (f64, row by row) at `lower`. */
export function phComputeDistances(
  lower: usize,
  n: i32,
  maxDimension: i32,
  threshold: f64,
  budget: f64,
  cocycleWanted: i32,
  limit: f64,
): i32 {
  begin(budget, maxDimension, cocycleWanted, limit);
  const matrix = allocateSquare(n);
  let at = lower;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      // abs: a -0 from the host becomes +0, whose bits order like the value (keys and sorts rely on it)
      setDistance(matrix, n, i, j, abs<f32>(<f32>load<f64>(at)));
      at += 8;
    }
  }
  return run(n, matrix, threshold);
}

export function phPairCount(): i32 {
  return pairs.length / 3;
}
/** Pairs as consecutive (dim: i32, birth: f32, death: f32) records. */
export function phPairsPtr(): usize {
  return pairs.ptr;
}
export function phCocycleCount(): i32 {
  return cocycles.length / 3;
}
/** Cocycles as (pair ordinal: i32, first edge: i32, edge count: i32) records. */
export function phCocyclesPtr(): usize {
  return cocycles.ptr;
}
/** Cocycle edges as (u: i32, v: i32) point-index pairs. */
export function phCocycleEdgesPtr(): usize {
  return cocycleEdges.ptr;
}
export function phThreshold(): f64 {
  return <f64>threshold;
}
export function phEdgeCount(): f64 {
  return edgeCount;
}
export function phSparse(): i32 {
  return sparse ? 1 : 0;
}
export function phColumnsReduced(dim: i32): f64 {
  return load<f64>(columnsReduced + ((<usize>(dim & 3)) << 3));
}
export function phApparentPairs(dim: i32): f64 {
  return load<f64>(apparentPairs + ((<usize>(dim & 3)) << 3));
}
export function phEmergentPairs(dim: i32): f64 {
  return load<f64>(emergentPairs + ((<usize>(dim & 3)) << 3));
}
export function phBytesUsed(): f64 {
  return bytesUsed();
}
/** Work units (simplices visited) spent by the last computation. */
export function phWork(): f64 {
  return work;
}
export function phWorkExceeded(): i32 {
  return workExceeded ? 1 : 0;
}
export function phBytesRefused(): f64 {
  return bytesRefused();
}
export function phVersion(): i32 {
  return 1;
}
