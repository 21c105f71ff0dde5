// Choosing the query step as Grafana does, and cutting long ranges into requests Prometheus accepts.

/** Prometheus refuses a query_range whose (end - start) / step exceeds this. */
export const MAX_POINTS_PER_SERIES = 11_000;

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** Steps a person reads easily; a computed step is rounded up to the next one. */
export const NICE_STEPS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  20 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  20 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  30 * D,
];

export interface StepOptions {
  /** Smallest step, normally the scrape interval. Default 15 s. */
  minStepMs?: number;
  /** Most points per series. Default 11,000 (Prometheus' limit). */
  maxPoints?: number;
}

/** The step for a range: at least minStepMs and range / maxPoints, rounded up to a nice value. */
export function chooseStep(rangeMs: number, opts: StepOptions = {}): number {
  const minStep = opts.minStepMs ?? 15 * S;
  const maxPoints = Math.min(opts.maxPoints ?? MAX_POINTS_PER_SERIES, MAX_POINTS_PER_SERIES);
  const raw = Math.max(minStep, rangeMs / maxPoints, 1);
  for (const nice of NICE_STEPS) if (nice >= raw) return nice;
  return Math.ceil(raw / D) * D;
}

/** A range of evaluation times: start, start + step, …, end (both inclusive, both on the grid). */
export interface Grid {
  start: number;
  end: number;
  stepMs: number;
}

/** Puts a range on the epoch-aligned grid of its step, so repeated and chunked reads share timestamps. */
export function alignGrid(start: number, end: number, stepMs: number): Grid {
  if (!(stepMs > 0) || !Number.isFinite(stepMs))
    throw new RangeError(`step must be a positive number of ms, got ${stepMs}`);
  const s = Math.ceil(start / stepMs) * stepMs;
  const e = Math.floor(end / stepMs) * stepMs;
  return { start: s, end: Math.max(s, e), stepMs };
}

/**
 * Splits a grid into consecutive grids of at most `maxPoints` evaluation times each. Chunk k ends one step
 * before chunk k+1 starts, so every time appears in exactly one chunk (end inclusive).
 */
export function splitGrid(grid: Grid, maxPoints = MAX_POINTS_PER_SERIES): Grid[] {
  const span = (Math.max(1, Math.min(maxPoints, MAX_POINTS_PER_SERIES)) - 1) * grid.stepMs;
  const chunks: Grid[] = [];
  for (let s = grid.start; s <= grid.end;) {
    const e = Math.min(grid.end, s + span);
    chunks.push({ start: s, end: e, stepMs: grid.stepMs });
    s = e + grid.stepMs;
  }
  return chunks;
}

/** Number of evaluation times in a grid. */
export function gridPoints(grid: Grid): number {
  return Math.floor((grid.end - grid.start) / grid.stepMs) + 1;
}
