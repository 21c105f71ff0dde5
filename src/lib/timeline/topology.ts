// What a window computation needs from the TDA engine: persistent homology of a cloud and distances
// between diagrams. One WebAssembly instance backs both (PHEngine and DiagramDistance share it).
import type { Diagram, PHOptions, PHResult } from '../tda/types.ts';

export interface Topology {
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): PHResult;
  wasserstein(a: Diagram, b: Diagram, p: 1 | 2): number;
  bottleneck(a: Diagram, b: Diagram): number;
}
