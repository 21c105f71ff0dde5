// Numbers and curves that summarise one persistence diagram: Betti numbers and curves, persistence
// landscapes, persistence entropy, total and maximal persistence, and the count of features above a
// noise floor. Pure functions over typed arrays; they run on every window of the timeline.
//
// Essential pairs (death = Infinity) follow one rule. Betti numbers and counts above the noise floor
// include them: such a class is alive at every later scale and its lifetime exceeds any floor.
// Summaries built from lifetimes (landscapes, entropy, total and maximal persistence) skip them,
// since one infinite lifetime would swamp every finite one, unless `essentialDeath` is given: then
// an essential pair counts as dying there (for example at the Rips threshold).
import type { Diagram } from './types.ts';

export interface LifetimeOptions {
  /** Death given to essential pairs; when absent they are left out (see the module comment). */
  essentialDeath?: number;
}

function checkDiagram(diagram: Diagram, what: string): void {
  const { births, deaths } = diagram;
  if (births.length !== deaths.length) {
    throw new Error(`${what}: the diagram has ${births.length} births but ${deaths.length} deaths`);
  }
  for (let i = 0; i < births.length; i++) {
    // written so that NaN fails too
    if (!(deaths[i] >= births[i]) || !Number.isFinite(births[i])) {
      throw new Error(
        `${what}: pair ${i} (birth ${births[i]}, death ${deaths[i]}) is invalid; births must be finite and deaths ≥ births`,
      );
    }
  }
}

function checkEssentialDeath(opts: LifetimeOptions, what: string): number | undefined {
  const cap = opts.essentialDeath;
  if (cap !== undefined && !Number.isFinite(cap)) {
    throw new Error(`${what}: essentialDeath must be a finite number, got ${cap}`);
  }
  return cap;
}

/**
 * Lifetimes death − birth of the pairs that lifetime summaries use: finite pairs, plus essential ones
 * cut at `essentialDeath` (a lifetime of 0 when born after it).
 */
export function lifetimes(diagram: Diagram, opts: LifetimeOptions = {}): Float64Array {
  checkDiagram(diagram, 'lifetimes');
  const cap = checkEssentialDeath(opts, 'lifetimes');
  return lifetimesOf(diagram, cap);
}

function lifetimesOf(diagram: Diagram, cap: number | undefined): Float64Array {
  const { births, deaths } = diagram;
  let count = 0;
  for (let i = 0; i < deaths.length; i++) if (deaths[i] !== Infinity || cap !== undefined) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < deaths.length; i++) {
    if (deaths[i] !== Infinity) out[k++] = deaths[i] - births[i];
    else if (cap !== undefined) out[k++] = Math.max(0, cap - births[i]);
  }
  return out;
}

/** `count` evenly spaced scales from `start` to `stop` inclusive. */
export function linearGrid(start: number, stop: number, count: number): Float64Array {
  if (!Number.isFinite(start) || !Number.isFinite(stop) || stop < start) {
    throw new Error(`linearGrid: need finite start ≤ stop, got ${start} and ${stop}`);
  }
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`linearGrid: count must be a positive integer, got ${count}`);
  const grid = new Float64Array(count);
  const step = count === 1 ? 0 : (stop - start) / (count - 1);
  for (let i = 0; i < count; i++) grid[i] = start + i * step;
  if (count > 1) grid[count - 1] = stop;
  return grid;
}

function checkGrid(grid: ArrayLike<number>, what: string): void {
  for (let i = 0; i < grid.length; i++) {
    if (Number.isNaN(grid[i])) throw new Error(`${what}: grid value ${i} is NaN`);
  }
}

/** The Betti number at scale r: pairs alive at r, i.e. birth ≤ r < death (essential pairs included). */
export function bettiAt(diagram: Diagram, r: number): number {
  checkDiagram(diagram, 'bettiAt');
  if (Number.isNaN(r)) throw new Error('bettiAt: the scale r is NaN');
  const { births, deaths } = diagram;
  let alive = 0;
  for (let i = 0; i < births.length; i++) if (births[i] <= r && r < deaths[i]) alive++;
  return alive;
}

/** Index of the first value > x in an ascending array. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Betti numbers at every scale of `grid` (any order). Since every death follows its birth,
 * β(r) = #{birth ≤ r} − #{death ≤ r}: two sorted arrays and binary searches, O((n + g) log n).
 */
export function bettiCurve(diagram: Diagram, grid: ArrayLike<number>): Int32Array {
  checkDiagram(diagram, 'bettiCurve');
  checkGrid(grid, 'bettiCurve');
  const births = Float64Array.from(diagram.births).sort();
  const deaths = Float64Array.from(diagram.deaths).sort();
  const curve = new Int32Array(grid.length);
  for (let g = 0; g < grid.length; g++) curve[g] = upperBound(births, grid[g]) - upperBound(deaths, grid[g]);
  return curve;
}

/**
 * The first `levels` persistence landscapes on `grid`: level k (0-based here, λ_{k+1} in the
 * literature) at t is the (k+1)-th largest of max(0, min(t − birth, death − t)) over the pairs.
 * Returns one Float64Array per level, each aligned with the grid.
 */
export function landscapes(
  diagram: Diagram,
  levels: number,
  grid: ArrayLike<number>,
  opts: LifetimeOptions = {},
): Float64Array[] {
  checkDiagram(diagram, 'landscapes');
  checkGrid(grid, 'landscapes');
  if (!Number.isInteger(levels) || levels < 1)
    throw new Error(`landscapes: levels must be a positive integer, got ${levels}`);
  const cap = checkEssentialDeath(opts, 'landscapes');
  const { births, deaths } = diagram;
  const out = Array.from({ length: levels }, () => new Float64Array(grid.length));
  const top = new Float64Array(levels); // the largest tent heights at t, descending
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g];
    top.fill(0);
    for (let i = 0; i < births.length; i++) {
      let d = deaths[i];
      if (d === Infinity) {
        if (cap === undefined) continue;
        d = Math.max(cap, births[i]);
      }
      const height = Math.min(t - births[i], d - t);
      if (height <= top[levels - 1]) continue;
      // insert into the descending top list
      let k = levels - 1;
      while (k > 0 && top[k - 1] < height) {
        top[k] = top[k - 1];
        k--;
      }
      top[k] = height;
    }
    for (let k = 0; k < levels; k++) out[k][g] = top[k];
  }
  return out;
}

/**
 * Persistence entropy −Σ pᵢ log pᵢ with pᵢ = ℓᵢ / L, L = Σ ℓᵢ over the lifetimes (natural log).
 * Zero-length pairs add nothing (p log p → 0); a diagram with no positive lifetime has entropy 0.
 * With `normalize`, divides by log of the number of positive lifetimes (1 = all equal; 0 if ≤ 1 pair).
 */
export function persistenceEntropy(diagram: Diagram, opts: LifetimeOptions & { normalize?: boolean } = {}): number {
  checkDiagram(diagram, 'persistenceEntropy');
  const life = lifetimesOf(diagram, checkEssentialDeath(opts, 'persistenceEntropy'));
  let total = 0;
  let positive = 0;
  for (let i = 0; i < life.length; i++) {
    if (life[i] > 0) {
      total += life[i];
      positive++;
    }
  }
  if (total === 0) return 0;
  let entropy = 0;
  for (let i = 0; i < life.length; i++) {
    if (life[i] > 0) {
      const p = life[i] / total;
      entropy -= p * Math.log(p);
    }
  }
  entropy = Math.max(0, entropy); // rounding can leave −0 or a hair below 0 for a single pair
  if (!opts.normalize) return entropy;
  return positive <= 1 ? 0 : entropy / Math.log(positive);
}

/** Total persistence as a p-norm of the lifetimes, (Σ ℓᵢ^p)^(1/p), p ≥ 1 (p = Infinity gives the maximum). */
export function totalPersistence(diagram: Diagram, p = 1, opts: LifetimeOptions = {}): number {
  checkDiagram(diagram, 'totalPersistence');
  if (!(p >= 1)) throw new Error(`totalPersistence: p must be ≥ 1, got ${p}`);
  const life = lifetimesOf(diagram, checkEssentialDeath(opts, 'totalPersistence'));
  if (p === Infinity) return maxOf(life);
  let sum = 0;
  if (p === 1) for (let i = 0; i < life.length; i++) sum += life[i];
  else if (p === 2) for (let i = 0; i < life.length; i++) sum += life[i] * life[i];
  else for (let i = 0; i < life.length; i++) sum += life[i] ** p;
  return p === 1 ? sum : p === 2 ? Math.sqrt(sum) : sum ** (1 / p);
}

function maxOf(values: Float64Array): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > best) best = values[i];
  return best;
}

/** The longest lifetime (0 for a diagram without lifetimes). */
export function maxPersistence(diagram: Diagram, opts: LifetimeOptions = {}): number {
  checkDiagram(diagram, 'maxPersistence');
  return maxOf(lifetimesOf(diagram, checkEssentialDeath(opts, 'maxPersistence')));
}

/**
 * Features that outlive the noise floor: pairs with death − birth > floor. Essential pairs count
 * (their lifetime is infinite) unless `essentialDeath` gives them a finite one.
 */
export function countAboveNoise(diagram: Diagram, floor: number, opts: LifetimeOptions = {}): number {
  checkDiagram(diagram, 'countAboveNoise');
  if (!(floor >= 0)) throw new Error(`countAboveNoise: the noise floor must be a number ≥ 0, got ${floor}`);
  const cap = checkEssentialDeath(opts, 'countAboveNoise');
  const { births, deaths } = diagram;
  let count = 0;
  for (let i = 0; i < births.length; i++) {
    const death = deaths[i] === Infinity && cap !== undefined ? cap : deaths[i];
    if (death - births[i] > floor) count++;
  }
  return count;
}
