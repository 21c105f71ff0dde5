// The Node host's Topology: one WebAssembly instance behind the PH engine and the diagram distances.
import { loadAuraNode } from '../wasm/node.ts';
import { PHEngine } from '../tda/engine.ts';
import { DiagramDistance } from '../tda/distance.ts';
import type { Topology } from './topology.ts';

export async function createNodeTopology(): Promise<Topology> {
  const wasm = await loadAuraNode();
  const engine = new PHEngine(wasm);
  const distance = new DiagramDistance(wasm);
  return {
    computePoints: (points, n, d, opts) => engine.computePoints(points, n, d, opts),
    wasserstein: (a, b, p) => distance.wasserstein(a, b, p),
    bottleneck: (a, b) => distance.bottleneck(a, b),
  };
}
