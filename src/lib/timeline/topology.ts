// What a window computation needs from the TDA engine: persistent homology of a cloud and distances
// between diagrams. One WebAssembly instance backs both (PHEngine and DiagramDistance share it).
import type { Diagram, PHOptions, PHResult } from '../tda/types.ts';
import type { AuraExports } from '../wasm/aura.ts';
import { PHEngine } from '../tda/engine.ts';
import { DiagramDistance, type SortedLine } from '../tda/distance.ts';
import { SpanningTree } from '../tda/spanning.ts';
import type { TreeBuilder } from '../cloud/linkage.ts';

export interface Topology {
  computePoints(points: Float64Array, n: number, d: number, opts: PHOptions): PHResult;
  wasserstein(a: Diagram, b: Diagram, p: 1 | 2): number;
  bottleneck(a: Diagram, b: Diagram): number;
  /** wasserstein(a, b, 2) and bottleneck(a, b) at once. */
  w2AndBottleneck(a: Diagram, b: Diagram): { w2: number; bottleneck: number };
  /** W2 and bottleneck between births-0 diagrams as sorted lines (timeline/h0.ts), in the module. */
  lineDistances(a: SortedLine, b: SortedLine): { w2: number; bottleneck: number };
  /** W2 alone between sorted lines. */
  lineWasserstein2(a: SortedLine, b: SortedLine): number;
  /** Prim's tree of a cloud for single linkage (cloud/linkage.ts), in the module. */
  spanningTree: TreeBuilder;
}

/**
 * A Topology over one instance of the AURA module, whatever loaded it: loadAuraNode() in Node,
 * loadAuraBrowser() in a Web Worker. This is all a worker needs before calling handleRequest.
 */
export function createTopology(wasm: AuraExports): Topology {
  const engine = new PHEngine(wasm);
  const distance = new DiagramDistance(wasm);
  const spanning = new SpanningTree(wasm);
  return {
    computePoints: (points, n, d, opts) => engine.computePoints(points, n, d, opts),
    wasserstein: (a, b, p) => distance.wasserstein(a, b, p),
    bottleneck: (a, b) => distance.bottleneck(a, b),
    w2AndBottleneck: (a, b) => distance.w2AndBottleneck(a, b),
    lineDistances: (a, b) => distance.lineDistances(a, b),
    lineWasserstein2: (a, b) => distance.lineWasserstein2(a, b),
    spanningTree: (points, n, d) => spanning.prim(points, n, d),
  };
}
