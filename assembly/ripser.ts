// Vietoris–Rips persistent homology over Z/2, after U. Bauer, "Ripser: efficient computation of
// Vietoris–Rips persistence barcodes" (2021). Top-down flow:
//   1. distances (f32) and the threshold (given, or the enclosing radius);
//   2. dimension 0 by union–find over the edges in filtration order;
//   3. for each dimension 1..maxDim: reduce the coboundary columns of the simplices that clearing and
//      apparent pairs leave over (cohomology, columns in reverse filtration order), record the pairs, then
//      assemble the next dimension's columns.
// Coboundaries are enumerated on the fly from the combinatorial number system (rips_complex.ts); the
// reduction keeps Ripser's lazy heap columns and stores the reduction matrix V, not the reduced R.
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
} from './rips_buffers';
import {
  binomial,
  buildBinomials,
  buildNeighbours,
  Cofacets,
  countEdges,
  distance,
  enclosingRadius,
  Facets,
  maxVertex,
  pointCount,
  setComplex,
  setThreshold,
  threshold,
} from './rips_complex';

const STATUS_OK: i32 = 0;
const STATUS_INDEX_OVERFLOW: i32 = 2;

let maxDim: i32 = 0;
let wantCocycles: bool = false;

// enumerators: `cofacets` drives reduction and assembly; the other two answer apparent-pair questions
// while `cofacets` is mid-way through a simplex
let cofacets: Cofacets = changetype<Cofacets>(0);
let pivotCofacets: Cofacets = changetype<Cofacets>(0);
let facets: Facets = changetype<Facets>(0);

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

// --- apparent pairs ------------------------------------------------------------------------------------
// (σ, τ) is a zero apparent pair when τ is the earliest cofacet of σ, σ the latest facet of τ, and both have
// the same diameter: such a pair is zero-length and never needs a column.

/** The earliest cofacet of the simplex with the same diameter, or -1. */
function zeroPivotCofacet(index: i64, diameter: f32, dim: i32): i64 {
  const c = pivotCofacets;
  c.set(index, diameter, dim);
  while (c.hasNext(true)) {
    c.next();
    if (c.cofacetDiameter == diameter) return c.cofacetIndex;
  }
  return -1;
}

/** The latest facet of the simplex with the same diameter, or -1. */
function zeroPivotFacet(index: i64, diameter: f32, dim: i32): i64 {
  const f = facets;
  f.set(index, dim);
  while (f.hasNext()) {
    f.next();
    if (f.facetDiameter == diameter) return f.facetIndex;
  }
  return -1;
}

function zeroApparentCofacet(index: i64, diameter: f32, dim: i32): i64 {
  const cofacet = zeroPivotCofacet(index, diameter, dim);
  return cofacet != -1 && zeroPivotFacet(cofacet, diameter, dim + 1) == index ? cofacet : -1;
}

function zeroApparentFacet(index: i64, diameter: f32, dim: i32): i64 {
  const facet = zeroPivotFacet(index, diameter, dim);
  return facet != -1 && zeroPivotCofacet(facet, diameter, dim - 1) == index ? facet : -1;
}

function inZeroApparentPair(index: i64, diameter: f32, dim: i32): bool {
  return zeroApparentCofacet(index, diameter, dim) != -1 || zeroApparentFacet(index, diameter, dim) != -1;
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

/** Edges ≤ threshold, sorted for reduction (latest first). */
function collectEdges(count: i64): EntryList {
  const edges = new EntryList(<i32>count);
  const n = pointCount;
  const t = threshold;
  for (let i = 1; i < n; i++) {
    const base = binomial(i, 2);
    for (let j = 0; j < i; j++) {
      const d = distance(i, j);
      if (d <= t) edges.push(d, base + j);
    }
  }
  edges.sortForReduction();
  return edges;
}

/** Union–find over edges by increasing diameter; returns the edges left as dimension-1 columns. */
function computeDimension0(edges: EntryList): EntryList {
  const n = pointCount;
  const parent = allocate((<usize>max(n, 1)) << 2);
  const rank = allocate(<usize>max(n, 1));
  for (let v = 0; v < n; v++) {
    store<i32>(parent + ((<usize>v) << 2), v);
    store<u8>(rank + <usize>v, 0);
  }
  const columns = new EntryList(maxDim > 0 ? edges.length >> 2 : 0);
  for (let e = edges.length - 1; e >= 0; e--) {
    const d = edges.diameter(e);
    const index = edges.index(e);
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
      if (zeroApparentCofacet(index, d, 1) == -1) columns.push(d, index);
      else countUp(apparentPairs, 1);
    }
  }
  store<f64>(columnsReduced, <f64>edges.length);
  for (let v = 0; v < n; v++) if (findRoot(parent, v) == v) recordPair(0, 0, Infinity);
  columns.reverse();
  return columns;
}

// --- dimensions ≥ 1 --------------------------------------------------------------------------------------

/** The reduction matrix V, column by column (each column without its diagonal entry). */
class ReductionMatrix {
  starts: IntList = new IntList(1024);
  entries: EntryList = new EntryList(1024);
}

let workingCoboundary: EntryHeap = changetype<EntryHeap>(0);
let workingReduction: EntryHeap = changetype<EntryHeap>(0);
let pivotColumn: EntryList = changetype<EntryList>(0); // scratch: the reduced column's V entries

/** Adds δ(simplex) to the working coboundary and the simplex to the working reduction column. */
function addSimplexCoboundary(index: i64, diameter: f32, dim: i32): void {
  workingReduction.insert(diameter, index);
  const c = cofacets;
  const t = threshold;
  c.set(index, diameter, dim);
  while (c.hasNext(true)) {
    c.next();
    if (c.cofacetDiameter <= t) workingCoboundary.insert(c.cofacetDiameter, c.cofacetIndex);
  }
}

/** Loads δ(column) into the working coboundary; returns its pivot early for an emergent pair (true). */
function initCoboundary(index: i64, diameter: f32, dim: i32, pivots: PivotMap): bool {
  const c = cofacets;
  const t = threshold;
  const heap = workingCoboundary;
  let checkEmergent = true;
  c.set(index, diameter, dim);
  while (c.hasNext(true)) {
    c.next();
    const d = c.cofacetDiameter;
    if (d > t) continue;
    const cofacet = c.cofacetIndex;
    heap.push(d, cofacet);
    if (checkEmergent && d == diameter) {
      // the first cofacet of equal diameter is the pivot; if no column owns it, the pair is immediate
      if (pivots.get(cofacet) == -1 && zeroApparentFacet(cofacet, d, dim + 1) == -1) {
        heap.topIndex = cofacet;
        heap.topDiameter = d;
        return true;
      }
      checkEmergent = false;
    }
  }
  heap.heapify();
  return false;
}

function computePairs(columns: EntryList, pivots: PivotMap, dim: i32): void {
  const reduction = new ReductionMatrix();
  const heap = workingCoboundary;
  const keepCocycle = wantCocycles && dim == 1;
  for (let col = 0; col < columns.length; col++) {
    const birth = columns.diameter(col);
    const simplex = columns.index(col);
    reduction.starts.push(reduction.entries.length);
    heap.clear();
    workingReduction.clear();
    if (initCoboundary(simplex, birth, dim, pivots)) {
      pivots.insert(heap.topIndex, col);
      countUp(emergentPairs, dim);
      continue;
    }
    while (true) {
      if (!heap.pivot()) {
        // no pivot: an essential class, born at `birth`
        recordPair(dim, birth, Infinity);
        if (keepCocycle) collectCocycle(simplex, birth);
        break;
      }
      const pivot = heap.topIndex;
      const death = heap.topDiameter;
      const other = pivots.get(pivot);
      if (other != -1) {
        // add the column that already owns this pivot: its simplex and its V entries
        addSimplexCoboundary(columns.index(other), columns.diameter(other), dim);
        const end = other + 1 < reduction.starts.length ? reduction.starts.get(other + 1) : reduction.entries.length;
        for (let e = reduction.starts.get(other); e < end; e++) {
          addSimplexCoboundary(reduction.entries.index(e), reduction.entries.diameter(e), dim);
        }
        continue;
      }
      const facet = zeroApparentFacet(pivot, death, dim + 1);
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
  const c = cofacets;
  const t = threshold;
  const keepSimplices = dim < maxDim;
  const next = keepSimplices ? new EntryList(simplices.length) : simplices;
  columns.clear();
  for (let s = 0; s < simplices.length; s++) {
    c.set(simplices.index(s), simplices.diameter(s), dim - 1);
    while (c.hasNext(false)) {
      c.next();
      const d = c.cofacetDiameter;
      if (d > t) continue;
      const index = c.cofacetIndex;
      if (keepSimplices) next.push(d, index);
      if (pivots.get(index) != -1) continue; // clearing
      if (inZeroApparentPair(index, d, dim)) {
        countUp(apparentPairs, dim);
        continue;
      }
      columns.push(d, index);
    }
  }
  columns.sortForReduction();
  return next;
}

// --- entry points --------------------------------------------------------------------------------------

function begin(budget: f64, maxDimension: i32, cocycleWanted: i32): void {
  resetBudget(budget);
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
  pivotCofacets = new Cofacets();
  facets = new Facets();

  let simplices = collectEdges(edges);
  let columns = computeDimension0(simplices);
  if (maxDim == 0) return STATUS_OK;

  workingCoboundary = new EntryHeap(256);
  workingReduction = new EntryHeap(64);
  pivotColumn = new EntryList(64);
  for (let dim = 1; dim <= maxDim; dim++) {
    const pivots = new PivotMap(columns.length);
    computePairs(columns, pivots, dim);
    if (dim < maxDim) simplices = assembleColumns(simplices, columns, pivots, dim + 1);
  }
  return STATUS_OK;
}

/**
 * Persistent homology of n points in R^d (row-major f64 at `points`). `threshold` NaN means the enclosing
 * radius. Returns 0, or 2 when simplex indices would overflow 64 bits; aborts with "memory budget exceeded"
 * when the budget would be broken (the host reads phBytesRefused).
 */
export function phComputePoints(
  points: usize,
  n: i32,
  d: i32,
  maxDimension: i32,
  threshold: f64,
  budget: f64,
  cocycleWanted: i32,
): i32 {
  begin(budget, maxDimension, cocycleWanted);
  // coordinates rounded to f32 and distances summed in f32 in coordinate order, as Ripser does
  const coords = allocate((<usize>max(n * d, 1)) << 2);
  for (let i = 0; i < n * d; i++) store<f32>(coords + ((<usize>i) << 2), <f32>load<f64>(points + ((<usize>i) << 3)));
  const matrix = allocate(<usize>max(((<i64>n * <i64>(n - 1)) >> 1) * 4, 4));
  let at = matrix;
  for (let i = 1; i < n; i++) {
    const pi = coords + ((<usize>i * <usize>d) << 2);
    for (let j = 0; j < i; j++) {
      const pj = coords + ((<usize>j * <usize>d) << 2);
      let sum: f32 = 0;
      for (let c = 0; c < d; c++) {
        const diff = load<f32>(pi + ((<usize>c) << 2)) - load<f32>(pj + ((<usize>c) << 2));
        sum += diff * diff;
      }
      store<f32>(at, sqrt<f32>(sum));
      at += 4;
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
): i32 {
  begin(budget, maxDimension, cocycleWanted);
  const count = (<i64>n * <i64>(n - 1)) >> 1;
  const matrix = allocate(<usize>max(count * 4, 4));
  for (let e: i64 = 0; e < count; e++) {
    store<f32>(matrix + ((<usize>e) << 2), <f32>load<f64>(lower + ((<usize>e) << 3)));
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
export function phBytesRefused(): f64 {
  return bytesRefused();
}
export function phVersion(): i32 {
  return 1;
}
