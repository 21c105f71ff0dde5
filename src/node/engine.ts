// Node-only constructors for the engine and the diagram distances: they read the module from disk, so the
// browser bundle must not import this file (workers build theirs from a fetched module instead).
import { loadAuraNode } from './wasm.ts';
import { DiagramDistance } from '../lib/tda/distance.ts';
import { PHEngine } from '../lib/tda/engine.ts';

/** An engine over a fresh instance of the module, for Node (CLI, tests, benchmarks). */
export async function createNodeEngine(): Promise<PHEngine> {
  return new PHEngine(await loadAuraNode());
}

/** A DiagramDistance over a fresh instance of the module, for Node (CLI, tests, benchmarks). */
export async function createNodeDistance(): Promise<DiagramDistance> {
  return new DiagramDistance(await loadAuraNode());
}
