// Persistence diagrams as the engine returns them and every later stage consumes them.

/** One homology dimension's pairs; `deaths[i] === Infinity` for an essential class. Zero-length pairs are absent. */
export interface Diagram {
  dim: number;
  births: Float64Array;
  deaths: Float64Array;
}

export interface PHOptions {
  /** Highest homology dimension, 0..3. */
  maxDim: number;
  /** Rips threshold; default (undefined) is the enclosing radius. */
  threshold?: number;
  /** Memory the computation may use, in bytes; a request that would need more fails with a clear error. */
  memoryBudgetBytes?: number;
  /** Compute representative cocycles for H1 (vertex lists of the most persistent loops). */
  cocycles?: boolean;
  /** How many H1 cocycles to return, most persistent first (default 16). */
  maxCocycles?: number;
  /** Stop with an error after visiting this many simplices (default: no limit); bounds the time of one call. */
  workLimit?: number;
}

export interface PHStats {
  points: number;
  edges: number;
  /** Columns reduced per dimension (dimension index). */
  columnsReduced: number[];
  apparentPairs: number[];
  /** Peak linear memory used by the engine, bytes. */
  peakBytes: number;
  millis: number;
}

/** A representative cocycle of an H1 class: the edges (pairs of point indices) that carry it. */
export interface Cocycle {
  dim: 1;
  birth: number;
  death: number;
  edges: [number, number][];
}

export interface PHResult {
  diagrams: Diagram[];
  stats: PHStats;
  cocycles?: Cocycle[];
}
