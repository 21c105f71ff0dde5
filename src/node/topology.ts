// The Node host's Topology: one WebAssembly instance behind the PH engine and the diagram distances.
import { loadAuraNode } from './wasm.ts';
import { createTopology, type Topology } from '../lib/timeline/topology.ts';

export async function createNodeTopology(): Promise<Topology> {
  return createTopology(await loadAuraNode());
}
