// The persistent-homology engine as the rest of AURA sees it: validates input, checks the memory budget
// before anything is allocated, runs the WebAssembly engine (assembly/ripser.ts) and copies the results out
// of linear memory (the next call resets the module's heap).
//
// The engine runs synchronously. To cancel a long computation, run it in a worker and terminate the worker.
import type { AuraExports } from '../wasm/aura.ts';
import type { Cocycle, Diagram, PHOptions, PHResult } from './types.ts';

export const DEFAULT_MEMORY_BUDGET = 1 << 30;
const DEFAULT_MAX_COCYCLES = 16;
/** wasm32 addresses 4 GiB; leave room for the module's own data and growth steps. */
const ADDRESS_SPACE_LIMIT = 3.5 * 2 ** 30;
/** The engine refuses simplex indices above this (Ripser's bound for Z/2). */
const MAX_SIMPLEX_INDEX = 2 ** 62;

interface RipsExports extends AuraExports {
  phComputePoints(
    points: number,
    n: number,
    d: number,
    maxDim: number,
    threshold: number,
    budget: number,
    cocycles: number,
    workLimit: number,
  ): number;
  phComputeDistances(
    lower: number,
    n: number,
    maxDim: number,
    threshold: number,
    budget: number,
    cocycles: number,
    workLimit: number,
  ): number;
  phPairCount(): number;
  phPairsPtr(): number;
  phCocycleCount(): number;
  phCocyclesPtr(): number;
  phCocycleEdgesPtr(): number;
  phEdgeCount(): number;
  phColumnsReduced(dim: number): number;
  phApparentPairs(dim: number): number;
  phBytesUsed(): number;
  phBytesRefused(): number;
  phWork(): number;
  phWorkExceeded(): number;
}

/** Thrown when a computation would visit more simplices than its work limit allows. */
export class WorkLimitError extends Error {
  override name = 'WorkLimitError';
}

/** Thrown when a computation would need more memory than its budget allows. */
export class MemoryBudgetError extends Error {
  override name = 'MemoryBudgetError';
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`;
const advice = 'lower --max-dim, set a threshold or subsample the points';

/** C(n, k) as a float, enough to tell whether it overflows the index range. */
function binomialEstimate(n: number, k: number): number {
  let value = 1;
  for (let i = 0; i < k; i++) value = (value * (n - i)) / (i + 1);
  return value;
}

function checkOptions(n: number, opts: PHOptions): { threshold: number; budget: number; workLimit: number } {
  const { maxDim } = opts;
  if (!Number.isInteger(maxDim) || maxDim < 0 || maxDim > 3) {
    throw new Error(`maxDim must be an integer from 0 to 3, got ${maxDim}`);
  }
  if (!Number.isInteger(n) || n < 0) throw new Error(`the number of points must be a whole number, got ${n}`);
  let threshold = NaN; // the engine's enclosing radius
  if (opts.threshold !== undefined && opts.threshold !== Infinity) {
    if (!Number.isFinite(opts.threshold) || opts.threshold < 0) {
      throw new Error(`threshold must be a non-negative number, got ${opts.threshold}`);
    }
    threshold = opts.threshold;
  }
  const budget = opts.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  if (!(budget > 0)) throw new Error(`memoryBudgetBytes must be positive, got ${budget}`);
  const workLimit = opts.workLimit ?? 0;
  if (!(workLimit >= 0)) throw new Error(`workLimit must be a non-negative number, got ${workLimit}`);
  if (binomialEstimate(n, maxDim + 2) >= MAX_SIMPLEX_INDEX) {
    throw new Error(
      `${n} points are too many for homology up to dimension ${maxDim}: simplex indices would overflow 64 bits; ${advice}`,
    );
  }
  return { threshold, budget, workLimit };
}

/** Memory the engine needs before it knows the edges: the input, its f32 copy, the distance matrix, binomials. */
function baseBytes(n: number, inputValues: number, maxDim: number): number {
  return inputValues * 12 + n * n * 4 + (n + 1) * (maxDim + 3) * 8 + n * 8;
}

function checkBudget(needed: number, budget: number): void {
  if (needed > Math.min(budget, ADDRESS_SPACE_LIMIT)) {
    const limit = budget > ADDRESS_SPACE_LIMIT ? `the 4 GB WebAssembly address space` : `budget is ${mb(budget)}`;
    throw new MemoryBudgetError(`persistent homology needs ~${mb(needed)}, ${limit}: ${advice}`);
  }
}

/** Puts a diagram's pairs in canonical order, by birth then death (the engine emits H0 already sorted). */
function sortPairs({ births, deaths }: Diagram): void {
  const before = (a: number, b: number) => births[a] < births[b] || (births[a] === births[b] && deaths[a] < deaths[b]);
  let sorted = true;
  for (let i = 1; i < births.length && sorted; i++) sorted = !before(i, i - 1);
  if (sorted) return;
  const order = Array.from(births.keys()).sort((a, b) => births[a] - births[b] || deaths[a] - deaths[b]);
  const b = Float64Array.from(order, (i) => births[i]);
  const d = Float64Array.from(order, (i) => deaths[i]);
  births.set(b);
  deaths.set(d);
}

export class PHEngine {
  private readonly wasm: RipsExports;

  constructor(wasm: AuraExports) {
    if (typeof wasm.phComputePoints !== 'function') {
      throw new Error('the loaded aura.wasm has no persistent-homology engine: rebuild it with `npm run build:wasm`');
    }
    this.wasm = wasm as RipsExports;
  }

  /** Vietoris–Rips persistence of n points in R^d (row-major, Euclidean distance). */
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): PHResult {
    const { threshold, budget, workLimit } = checkOptions(n, opts);
    if (!Number.isInteger(d) || d < 0) throw new Error(`the dimension of the points must be a whole number, got ${d}`);
    if (points.length !== n * d) {
      throw new Error(`expected ${n} points × ${d} coordinates = ${n * d} numbers, got ${points.length}`);
    }
    for (let i = 0; i < points.length; i++) {
      if (!Number.isFinite(points[i])) {
        const point = Math.floor(i / d);
        throw new Error(
          `point ${point} has a non-finite coordinate (${points[i]} at coordinate ${i - point * d}): remove or repair it`,
        );
      }
    }
    const inputBytes = points.length * 8;
    checkBudget(baseBytes(n, points.length, opts.maxDim), budget);
    return this.run(opts, n, inputBytes, (ptr) => {
      new Float64Array(this.wasm.memory.buffer, ptr, points.length).set(points);
      const cocycles = opts.cocycles ? 1 : 0;
      return this.wasm.phComputePoints(ptr, n, d, opts.maxDim, threshold, budget - inputBytes, cocycles, workLimit);
    });
  }

  /** Vietoris–Rips persistence from a strict lower-triangular distance matrix: d(1,0), d(2,0), d(2,1), … */
  computeDistances(lower: Float64Array, n: number, opts: PHOptions): PHResult {
    const { threshold, budget, workLimit } = checkOptions(n, opts);
    const count = (n * (n - 1)) / 2;
    if (lower.length !== count) {
      throw new Error(`a lower-triangular distance matrix of ${n} points has ${count} entries, got ${lower.length}`);
    }
    for (let e = 0, i = 1; i < n; i++) {
      for (let j = 0; j < i; j++, e++) {
        const value = lower[e];
        if (!(value >= 0) || value === Infinity) {
          throw new Error(`distance between points ${i} and ${j} is ${value}: distances must be finite and ≥ 0`);
        }
      }
    }
    const inputBytes = count * 8;
    checkBudget(baseBytes(n, count, opts.maxDim), budget);
    return this.run(opts, n, inputBytes, (ptr) => {
      new Float64Array(this.wasm.memory.buffer, ptr, count).set(lower);
      const cocycles = opts.cocycles ? 1 : 0;
      return this.wasm.phComputeDistances(ptr, n, opts.maxDim, threshold, budget - inputBytes, cocycles, workLimit);
    });
  }

  private run(opts: PHOptions, n: number, inputBytes: number, compute: (ptr: number) => number): PHResult {
    const wasm = this.wasm;
    const started = performance.now();
    wasm.resetHeap();
    let status: number;
    try {
      status = compute(wasm.allocBytes(Math.max(inputBytes, 8)));
    } catch (err) {
      // the engine records the refused request before it aborts, so this holds whatever the host's
      // abort handler threw
      if (wasm.phWorkExceeded()) {
        throw new WorkLimitError(
          `persistent homology stopped at its work limit of ${opts.workLimit} simplices: ${advice}`,
        );
      }
      const refused = wasm.phBytesRefused();
      if (refused > 0) {
        const needed = wasm.phBytesUsed() + inputBytes + refused;
        const budget = opts.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
        throw new MemoryBudgetError(
          `persistent homology needs more than ~${mb(needed)}, budget is ${mb(budget)}: ${advice}`,
        );
      }
      // the arena traps with `unreachable` when linear memory cannot grow any further
      if (err instanceof WebAssembly.RuntimeError && /unreachable/.test(err.message)) {
        throw new MemoryBudgetError(`persistent homology ran out of WebAssembly memory (${err.message}): ${advice}`);
      }
      throw err;
    }
    if (status === 2) {
      throw new Error(`${n} points are too many for dimension ${opts.maxDim}: simplex indices overflow; ${advice}`);
    }
    const result = this.readResult(opts, n);
    result.stats.peakBytes = wasm.phBytesUsed() + inputBytes;
    result.stats.millis = performance.now() - started;
    return result;
  }

  private readResult(opts: PHOptions, n: number): PHResult {
    const wasm = this.wasm;
    const buffer = wasm.memory.buffer;
    const pairCount = wasm.phPairCount();
    const records = pairCount * 3;
    const ints = new Int32Array(buffer, wasm.phPairsPtr(), records);
    const floats = new Float32Array(buffer, wasm.phPairsPtr(), records);

    const counts = new Array<number>(opts.maxDim + 1).fill(0);
    for (let p = 0; p < pairCount; p++) counts[ints[3 * p]]++;
    const diagrams: Diagram[] = counts.map((count, dim) => ({
      dim,
      births: new Float64Array(count),
      deaths: new Float64Array(count),
    }));
    const filled = new Array<number>(opts.maxDim + 1).fill(0);
    for (let p = 0; p < pairCount; p++) {
      const diagram = diagrams[ints[3 * p]];
      const i = filled[diagram.dim]++;
      diagram.births[i] = floats[3 * p + 1];
      diagram.deaths[i] = floats[3 * p + 2];
    }
    diagrams.forEach(sortPairs);

    const columnsReduced: number[] = [];
    const apparentPairs: number[] = [];
    for (let dim = 0; dim <= opts.maxDim; dim++) {
      columnsReduced.push(wasm.phColumnsReduced(dim));
      apparentPairs.push(wasm.phApparentPairs(dim));
    }
    const result: PHResult = {
      diagrams,
      stats: { points: n, edges: wasm.phEdgeCount(), columnsReduced, apparentPairs, peakBytes: 0, millis: 0 },
    };
    if (opts.cocycles) result.cocycles = this.readCocycles(floats, opts.maxCocycles ?? DEFAULT_MAX_COCYCLES);
    return result;
  }

  /** The H1 cocycles of the most persistent loops (essential ones first). */
  private readCocycles(pairFloats: Float32Array, limit: number): Cocycle[] {
    const wasm = this.wasm;
    const count = wasm.phCocycleCount();
    const records = new Int32Array(wasm.memory.buffer, wasm.phCocyclesPtr(), count * 3);
    const order = Array.from({ length: count }, (_, c) => c);
    const persistence = (c: number) => pairFloats[3 * records[3 * c] + 2] - pairFloats[3 * records[3 * c] + 1];
    order.sort((a, b) => persistence(b) - persistence(a) || a - b);
    const edgesPtr = wasm.phCocycleEdgesPtr();
    return order.slice(0, Math.max(0, limit)).map((c) => {
      const pair = records[3 * c];
      const first = records[3 * c + 1];
      const size = records[3 * c + 2];
      const raw = new Int32Array(wasm.memory.buffer, edgesPtr + first * 8, size * 2);
      const edges: [number, number][] = [];
      for (let e = 0; e < size; e++) edges.push([raw[2 * e + 1], raw[2 * e]]);
      return { dim: 1, birth: pairFloats[3 * pair + 1], death: pairFloats[3 * pair + 2], edges };
    });
  }
}
