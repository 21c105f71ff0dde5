// Messages of the engine worker: the WASM persistent-homology engine behind Comlink.
import type { PHOptions, PHResult } from '../../lib/tda/types.ts';

export interface EngineApi {
  /** Compiles and instantiates the WASM module; later calls reuse it. */
  init(): Promise<void>;
  /**
   * Vietoris–Rips persistence of `n` points in `d` dimensions (row-major). The points buffer is
   * transferred in; the diagrams' buffers are transferred back.
   */
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): Promise<PHResult>;
}
