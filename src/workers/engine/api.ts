// Messages of the engine worker: the WASM persistent-homology engine behind Comlink.
import type { PHOptions, PHResult } from '../../lib/tda/types.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';

/** A window's cloud (exactly as the timeline built it) and its persistence with representatives. */
export interface WindowTopology {
  points: Float64Array;
  n: number;
  d: number;
  /** The cloud was reduced to max–min landmarks (it had more points than the timeline's limit). */
  landmarked: boolean;
  /** Rows of the window left out for a gap. */
  dropped: number;
  result: PHResult;
  summaries: DiagramSummaries;
}

/** Summaries of the diagrams on one shared scale grid (from 0 to the largest finite death). */
export interface DiagramSummaries {
  grid: Float64Array;
  /** Betti curve per dimension, aligned with `grid`. */
  betti: Int32Array[];
  /** The first persistence landscapes of H1 (of H0 when maxDim is 0), aligned with `grid`. */
  landscapes: Float64Array[];
  landscapeDim: number;
  /** Persistence entropy per dimension (finite pairs, nats). */
  entropy: number[];
}

export interface EngineApi {
  /** Compiles and instantiates the WASM module; later calls reuse it. */
  init(): Promise<void>;
  /**
   * Vietoris–Rips persistence of `n` points in `d` dimensions (row-major). The points buffer is
   * transferred in; the diagrams' buffers are transferred back.
   */
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): Promise<PHResult>;
  /** Persistence with H1 representatives and summaries of a given cloud (the built-in example). */
  cloudTopology(points: Float64Array, n: number, d: number, maxDim: number): Promise<WindowTopology>;
  /** Builds one timeline window's cloud and computes its persistence with H1 representatives. */
  windowTopology(config: WindowConfig, task: WindowTask): Promise<WindowTopology>;
}
